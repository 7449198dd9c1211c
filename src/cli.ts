#!/usr/bin/env node
import { Command, CommanderError, Help, Option } from 'commander';
import { COLLECT_CONCURRENCY } from './collect/concurrency.js';
import { addRegions, addValue, MAX_CONCURRENCY } from './commands/arguments.js';
import { ApplyRefused, AwsFailure, InputError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { SEVERITIES } from './model/severity.js';
import { redact } from './redact.js';
import { terminalLines } from './report/escape.js';
import { REPORT_FORMAT_NAMES, reportFormatsHelp } from './report/formats.js';
import { VERSION } from './version.js';

// Each command loads what it needs when it runs (the AWS SDK alone takes most of a
// second), so that --help, validate and show answer at once.

// rollcall pins an SDK release that supports Node 20; the SDK's notice about future releases is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let exitCode: ExitCode = EXIT.clean;

const program = new Command()
  .name('rollcall')
  .description('Audit an AWS account against a declarative YAML baseline: what is unexpected, missing, changed or unsafe.')
  .version(VERSION)
  .option('--profile <name>', "AWS shared-config profile, exactly as AWS_PROFILE: its credentials (keys, credential_process, SSO, source_profile), region and endpoint_url")
  .option('--region <region>', "region for the global IAM and STS endpoints (default: AWS_REGION, the profile's region, us-east-1)", undefined)
  .option('--role-arn <arn>', 'assume this role for the whole run (the cross-account audit role), with the credentials found as usual')
  .option('--external-id <id>', 'the external id the role trusts (with --role-arn; in org mode, the role assumed in each account)')
  .option('--role-session-name <name>', 'the session name of the assumed role (with --role-arn, or in org mode; default: rollcall)')
  .option('-q, --quiet', 'no progress on stderr')
  .hook('preAction', () => {
    // Every SDK setting a profile carries (endpoint_url, services, credential_process, SSO, region) follows AWS_PROFILE.
    const { profile } = program.opts<{ profile?: string }>();
    if (profile !== undefined) process.env.AWS_PROFILE = profile;
  })
  .exitOverride()
  .showSuggestionAfterError()
  // Every command's help shows the options every command takes, and says which of its own are required.
  .configureHelp({
    showGlobalOptions: true,
    optionDescription(option) {
      const text = Help.prototype.optionDescription.call(this, option);
      return option.mandatory ? `${text} (required)` : text;
    },
  })
  .addHelpText(
    'after',
    `
Exit codes:
  0  clean: nothing at or above --fail-on
     apply/undo: every step done (or found done already)
  1  violations at or above --fail-on
     apply/undo: a step was refused, skipped, failed or blocked, or the confirmation was declined
  2  bad input (a file, an option, a baseline for another account)
     apply/undo: a tampered or unapproved plan, a plan for another account or caller, a stale plan,
     too many destructive steps, a journal of another plan or held by another run, or no terminal
     and no --yes (apply: and --approve): nothing ran
  3  failure (AWS unreachable, credentials refused, internal error)
  4  incomplete: no violation at or above --fail-on, but a gap left some rules unknown
     apply: all else done, manual steps (and the steps waiting for them) still pending
  5  plan --detailed-exitcode: the plan has steps (0: it has none)`,
  );

/** The options of every command that collects live. */
function collecting(command: Command): Command {
  return command
    .option('--regions <list>', 'scan only these regions, comma-separated or repeated (default: every region enabled in the account)', addRegions)
    .option('--concurrency <n>', `collectors running at once, 1 to ${MAX_CONCURRENCY} (default: ${COLLECT_CONCURRENCY})`)
    .option('--config', "read AWS Config's recorders too: every resource type Config records, untagged ones included, as config.resource")
    .option('--config-aggregator <name>', "read AWS Config through this aggregator instead of the account's recorders: it is in the run's region and account, read with the run's own credentials; org mode (--org, --accounts): read once for the run, each account's resources queried through it, never through the account's role")
    .option('--config-aggregator-trusted', "accept the aggregator's word that a region it last collected is fully recorded (otherwise each such region is a gap: the aggregator cannot say whether the recorder runs)");
}

program
  .command('validate')
  .description('check baselines, rule files or folders, inventories and plans against their schemas')
  .argument('[paths...]', 'files or folders (default: the built-in rules)')
  .action(async (paths: string[]) => {
    exitCode = await (await import('./commands/validate.js')).runValidate(paths, Boolean(program.opts().quiet));
  });

collecting(
  program
    .command('collect')
    .description('collect the live inventory of the account and save it as JSON')
    .option('-o, --out <file>', 'write the inventory here (default: stdout): JSON, or one line per resource when the name ends in .jsonl (.jsonl.gz: gzipped), which audit, plan and validate read as a stream')
    .option('--spend-since <time>', "also read the account's spend since then from Cost Explorer (ISO-8601; one request a page, $0.01 each on AWS), for a later audit --inventory"),
).action(async (opts: { out?: string; regions?: string[]; concurrency?: string; spendSince?: string }) => {
  exitCode = await (await import('./commands/collect.js')).runCollect({ ...program.opts(), ...opts });
});

const baseline = program.command('baseline').description('write a baseline from the account as found, or update one to accept it');
collecting(
  baseline
    .command('init')
    .description('write a baseline from the live account (or a saved inventory) that audit accepts as it is; dangerous findings are marked in comments, never accepted silently')
    .option('-i, --inventory <file>', 'read a saved inventory instead of the live account')
    .option('-o, --out <file>', 'write the baseline here (default: stdout)')
    .option('--force', 'overwrite --out if it exists'),
).action(async (opts: { inventory?: string; out?: string; force?: boolean; regions?: string[]; concurrency?: string }) => {
  exitCode = await (await import('./commands/baseline.js')).runBaselineInit({ ...program.opts(), ...opts });
});
collecting(
  baseline
    .command('update')
    .description('show, as a unified diff, what to change in a baseline to accept the account as found (a rotated key, a new or removed user); keeps its comments and formatting')
    .argument('<baseline>', 'the baseline YAML to update')
    .option('-i, --inventory <file>', 'read a saved inventory instead of the live account')
    .option('--write', 'write the change into the baseline (default: only show it)'),
).action(async (file: string, opts: { inventory?: string; write?: boolean; regions?: string[]; concurrency?: string }) => {
  exitCode = await (await import('./commands/baseline.js')).runBaselineUpdate(file, { ...program.opts(), ...opts });
});

collecting(
  program
    .command('audit')
    .description('compare the account (live, or a saved inventory) with a baseline and report violations')
    .requiredOption('-b, --baseline <file>', 'the baseline YAML for this account (org mode: the folder of ACCOUNT_ID.yaml baselines and _defaults.yaml)')
    .option('-i, --inventory <file>', 'audit a saved inventory instead of the live account')
    .option('--jobs <n>', 'threads that read and judge a saved JSON Lines inventory (default: one per core, up to 4, for 32 MiB or more; 1: read it in one thread)')
    .option('-r, --rules <dir...>', 'extra rule folders, added to the built-in packs')
    .option('--org', "org mode: every ACTIVE account of the organization (organizations:ListAccounts, from the management account or a delegated administrator), each through --assume-role-name against its own baseline")
    .option('--accounts <list>', 'org mode for these account ids only (comma-separated or repeated); with --org, those the organization lists', addValue)
    .option('--shard <i/N>', "org mode: only shard i of N (an account's shard is a hash of its id); `rollcall report merge` joins the shards' reports")
    .option('--assume-role-name <name>', 'org mode: the role assumed in each account, with --external-id and --role-session-name (default: rollcall-audit)')
    .option('--account-concurrency <n>', 'org mode: accounts audited at once (default: 16); --concurrency is per account')
    .option('--out-dir <dir>', "org mode: write the org report (org-report.json, .md) and each account's (accounts/ID.json, .md) here")
    .option('--strict-defaults', "org mode: an account's file that overrides a value of _defaults.yaml (root, cloudtrail, a named IAM entry, an added region...) is an input error, not a warning")
    .option('--run-id <id>', "org mode: the CI run's id (e.g. ${{ github.run_id }}-${{ github.run_attempt }}), in the run's fingerprint: `report merge` refuses shards of different runs")
    .option('--fail-on-gap', 'org mode: an account not audited (a gap) exits 4 even when other accounts have violations (without it, violations exit 1 and the report leads with the gaps)')
    .addOption(new Option('-f, --format <format>', `report format: ${reportFormatsHelp()}`).choices(REPORT_FORMAT_NAMES).default('md'))
    .option('-o, --out <file>', 'write the report here (default: stdout)')
    .option('--fail-on <threshold>', `lowest severity that fails the audit (${SEVERITIES.join(', ')}); new[:SEVERITY] (e.g. new:high): only violations new since --previous count`, 'low')
    .option('--previous <report>', 'the JSON report of an earlier audit of this account: marks each violation new or known, and lists the ones resolved since')
    .option('--timeline <file|live>', 'CloudTrail history: a JSON timeline (rollcall timeline --format json) or live (LookupEvents over the incident window): evidence on violations, and the rules that need the history')
    .option('--now <time>', 'evaluate as of this ISO-8601 time (default: now)'),
).action(async (opts: { baseline: string; inventory?: string; rules?: string[]; format: string; out?: string; failOn: string; previous?: string; timeline?: string; now?: string; regions?: string[]; concurrency?: string; org?: boolean; accounts?: string[]; shard?: string; assumeRoleName?: string; accountConcurrency?: string; outDir?: string; failOnGap?: boolean; strictDefaults?: boolean; runId?: string; jobs?: string }) => {
  exitCode = await (await import('./commands/audit.js')).runAudit({ ...program.opts(), ...opts });
});

collecting(
  program
    .command('plan')
    .description('audit like `audit`, then write a remediation plan (JSON) and its Markdown rendering for review; reversible steps first')
    .requiredOption('-b, --baseline <file>', 'the baseline YAML for this account')
    .option('-i, --inventory <file>', 'plan from a saved inventory instead of the live account')
    .option('-r, --rules <dir...>', 'extra rule folders, added to the built-in packs')
    .requiredOption('-o, --out <file>', 'write the plan here (JSON); the Markdown goes beside it, as .md')
    .option('--destructive', 'also plan deletes and terminations, each after its reversible step (never from an incomplete inventory)')
    .option('--timeline <file|live>', 'CloudTrail history: a JSON timeline (rollcall timeline --format json) or live (LookupEvents over the incident window): plans what the attacker\'s sessions and changes call for')
    .option('--now <time>', 'plan as of this ISO-8601 time (default: now)')
    .option('--detailed-exitcode', 'exit 5 when the plan has steps and 0 when it has none, like Terraform (errors keep their codes)'),
).action(async (opts: { baseline: string; inventory?: string; rules?: string[]; out: string; destructive?: boolean; timeline?: string; now?: string; detailedExitcode?: boolean; regions?: string[]; concurrency?: string }) => {
  exitCode = await (await import('./commands/plan.js')).runPlan({ ...program.opts(), ...opts });
});

program
  .command('permissions')
  .description('print the least-privilege IAM policy (JSON) a command needs: audit, collect and plan read; apply and undo change')
  .argument('<command>', "audit, collect, plan, baseline, apply, undo, timeline, scan-secrets, or org (audit --org's own credentials; each account's role needs audit's)")
  .action(async (command: string) => {
    exitCode = (await import('./commands/permissions.js')).runPermissions(command);
  });

program
  .command('schema')
  .description('print a schema of this rollcall (baseline, rule, inventory, plan, report, journal): its JSON, or with --path its file URL for an editor\'s $schema')
  .argument('<name>', 'the schema: baseline, rule, inventory, plan, report or journal')
  .option('--path', 'print the file URL of the installed schema instead of its JSON')
  .action(async (name: string, opts: { path?: boolean }) => {
    exitCode = (await import('./commands/schema.js')).runSchema(name, opts);
  });

program
  .command('show')
  .description('check a plan file (schema, digest, dependencies) and print it as Markdown')
  .argument('<plan>', 'the plan JSON that `rollcall plan` wrote')
  .action(async (file: string) => {
    exitCode = (await import('./commands/show.js')).runShow(file);
  });

program
  .command('apply')
  .description('apply a reviewed plan: guarded, journaled (resumable), in dependency order; manual steps stay pending until --done')
  .argument('<plan>', 'the plan JSON that `rollcall plan` wrote')
  .option('-y, --yes', 'apply without asking (required without a terminal, as in CI, with --approve)')
  .option('--approve <digest>', 'the digest of the reviewed plan (at least 12 hex digits, as plan and show print it): any other plan is refused; required with --yes without a terminal')
  .option('--dry-run', 'observe and check every step, print what would be done, change nothing')
  .option('--max-destructive <n>', 'refuse the whole run if more than N destructive steps (deletes, terminations) would run')
  .addOption(new Option('--on-change <mode>', 'a target that changed since planning: refuse (stop the run) or skip the step').choices(['refuse', 'skip']).default('refuse'))
  .option('--done <id>', 'record a manual step as done (repeatable), so the steps waiting for it run', addValue)
  .option('--journal <file>', 'the journal to write and resume from (default: PLAN.journal)')
  .option('--secrets-dir <dir>', 'where a replacement key\'s secret or a reset console password is written, mode 0600 (default: rollcall-secrets beside the plan)')
  .option('--max-age <hours>', 'refuse a plan older than this (default: 24)')
  .action(async (file: string, opts: { yes?: boolean; approve?: string; dryRun?: boolean; maxDestructive?: string; onChange?: string; done?: string[]; journal?: string; secretsDir?: string; maxAge?: string }) => {
    exitCode = await (await import('./commands/apply.js')).runApply(file, { ...program.opts(), ...opts });
  });

program
  .command('undo')
  .description("reverse an apply journal's reversible steps, last first (its own journal: JOURNAL.undo)")
  .argument('<journal>', 'the journal apply wrote (PLAN.journal)')
  .option('-y, --yes', 'undo without asking (required without a terminal)')
  .action(async (file: string, opts: { yes?: boolean }) => {
    exitCode = await (await import('./commands/undo.js')).runUndo(file, { ...program.opts(), ...opts });
  });

program
  .command('timeline')
  .description("the window's security-relevant CloudTrail events (IAM, STS sessions, instances, functions, security groups, defence evasion, console logins) from every enabled region, grouped by actor")
  .option('--since <time>', "start of the window, ISO-8601 (e.g. 2026-11-01 or 2026-11-01T08:00:00Z); default: the baseline's incident.since")
  .option('--until <time>', "end of the window, ISO-8601 (default: the baseline's incident.until when the window comes from it, else now)")
  .option('--key <id>', 'an exposed access key id to follow: every key, session, user, password and workload its calls gave, to a fixed point (repeatable, or comma-separated)', addValue)
  .option('-b, --baseline <file>', "a baseline whose incident gives the keys to follow (exposedKeys) and the window (since, until)")
  .option('--trail-bucket <s3url>', "read the trail's log files (s3://bucket/prefix) instead of CloudTrail's event history (LookupEvents, 90 days)")
  .option('--regions <list>', 'only these regions, comma-separated or repeated (default: every region enabled in the account)', addRegions)
  .addOption(new Option('-f, --format <format>', 'md or json').choices(['md', 'json']).default('md'))
  .option('-o, --out <file>', 'write the timeline here (default: stdout)')
  .action(async (opts: { since?: string; until?: string; key?: string[]; baseline?: string; trailBucket?: string; regions?: string[]; format: string; out?: string }) => {
    exitCode = await (await import('./commands/timeline.js')).runTimeline({ ...program.opts(), ...opts });
  });

const report = program.command('report').description('write documents from what rollcall recorded (plans and journals)');
report
  .command('support-case')
  .description("write the confirmation AWS Support asks for after a compromise notice: each of AWS's steps 1 to 4 with what was done, when, and the evidence, and what is not done yet (plain text; key ids shortened, no secret)")
  .requiredOption('--plan <file>', 'the plan JSON that `rollcall plan` wrote')
  .requiredOption('--journal <file>', 'the journal that `rollcall apply` wrote for it (PLAN.journal)')
  .option('--undo-journal <file>', "the undo journal of that journal, if undo ran (default: JOURNAL.undo when it exists)")
  .option('--timeline <file>', 'the CloudTrail timeline of the incident window (rollcall timeline --format json), as evidence for steps 2 and 3')
  .option('-o, --out <file>', 'write the text here (default: stdout)')
  .action(async (opts: { plan: string; journal: string; undoJournal?: string; timeline?: string; out?: string }) => {
    exitCode = (await import('./commands/report.js')).runReportSupportCase(opts);
  });

report
  .command('merge')
  .description("join the shards' org reports of one `audit --org --shard i/N` run into the org report the unsharded run writes (org-report.json and .md); exits as that run would")
  .argument('<shards...>', "every shard's org-report.shard-I-of-N.json")
  .requiredOption('--out-dir <dir>', "write org-report.json and .md here (the folder holding the shards' accounts/ reports, so its links hold)")
  .action(async (files: string[], opts: { outDir: string }) => {
    exitCode = (await import('./commands/report-merge.js')).runReportMerge(files, { ...program.opts(), ...opts });
  });

collecting(
  program
    .command('scan-secrets')
    .description("find AWS access key ids (and secret-shaped strings near them) in files and, for a repository, in every commit of its history; look each up in the account and report the active ones as critical. Never prints a secret, only its first 4 characters")
    .argument('<path>', 'a folder, a file, or a git repository (its root)')
    .option('-i, --inventory <file>', 'look keys up in a saved inventory instead of the live account')
    .addOption(new Option('-f, --format <format>', 'md or json').choices(['md', 'json']).default('md'))
    .option('-o, --out <file>', 'write the report here (default: stdout)')
    .option('--fail-on <severity>', `lowest severity that fails the scan (${SEVERITIES.join(', ')})`, 'low')
    .option('--add-to-baseline <file>', "add the account's keys found to this baseline's incident.exposedKeys (comments kept), so `plan` rotates them")
    .option('--aws-health', "also read AWS Health's exposed-key events (AWS_RISK_CREDENTIALS_EXPOSED; needs a Business or Enterprise support plan): the keys AWS found join those found in code"),
).action(async (path: string, opts: { inventory?: string; format: string; out?: string; failOn: string; addToBaseline?: string; awsHealth?: boolean; regions?: string[]; concurrency?: string }) => {
  exitCode = await (await import('./commands/scan-secrets.js')).runScanSecrets(path, { ...program.opts(), ...opts });
});

async function main(): Promise<ExitCode> {
  try {
    await program.parseAsync(process.argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message or the help text.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.clean : EXIT.badInput;
    }
    if (err instanceof InputError) {
      // Messages may quote names from AWS (a plan's step ids) or from a file: shown, never obeyed by the terminal.
      process.stderr.write(`rollcall: invalid input\n${terminalLines(err.message)}\n`);
      return EXIT.badInput;
    }
    if (err instanceof ApplyRefused) {
      process.stderr.write(`rollcall: refused: ${terminalLines(redact(err.message))}\n`);
      return EXIT.badInput;
    }
    if (err instanceof AwsFailure) {
      process.stderr.write(`rollcall: ${terminalLines(redact(err.message))}\n`);
      return EXIT.failure;
    }
    const e = err as Error;
    process.stderr.write(`rollcall: internal error: ${terminalLines(redact(e?.message ?? String(err)))}\n`);
    if (process.env.ROLLCALL_DEBUG) process.stderr.write(`${redact(e?.stack ?? '')}\n`);
    return EXIT.failure;
  }
}

process.exit(await main());
