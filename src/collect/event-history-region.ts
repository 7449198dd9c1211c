/** Where each partition's CloudTrail event history records IAM's (global) events: a module of its own, so that reading it loads no AWS client. */
export const EVENT_HISTORY_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };
