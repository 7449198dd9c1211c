/**
 * The IAM actions `rollcall timeline` calls: who is calling and which regions
 * are enabled (as every collection), then LookupEvents, or with
 * --trail-bucket the trail's log files (ListBucket for s3:ListObjectsV2,
 * GetObject). A test holds them to the calls the code makes.
 */
import type { IamAction } from '../model/permissions.js';

export const TIMELINE_PERMISSIONS: readonly IamAction[] = ['sts:GetCallerIdentity', 'ec2:DescribeRegions', 'cloudtrail:LookupEvents', 's3:ListBucket', 's3:GetObject'];

/** The SDK operations whose IAM action has another name. */
export const ACTION_OF_OPERATION: Readonly<Record<string, IamAction>> = { 's3:ListObjectsV2': 's3:ListBucket' };
