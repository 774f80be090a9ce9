package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.PruneReport;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Retention;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.Snapshot;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn forget --keep-daily 7 --keep-weekly 4 ... [--prune] [--dry-run]}: removes the snapshots a
 * retention policy does not keep, with restic's options and semantics (docs/retention.md). The table
 * printed gives, for every group, the kept snapshots with the rule that kept each, and the removed ones.
 */
@Command(name = "forget", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Remove snapshots that a retention policy does not keep, or the SNAPSHOT ids given (the data goes"
        + " with 'prune').",
        "Counts keep the newest snapshot of each of the N newest hours, days, weeks, months or years; -1 means all."})
final class ForgetCommand extends CairnSubcommand {

  @Parameters(arity = "0..*", paramLabel = "SNAPSHOT",
      description = "Remove these snapshots (ids or unique prefixes) instead of applying --keep-* rules; also"
          + " removes a snapshot whose file is damaged.")
  List<String> ids = new ArrayList<>();

  @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
  int last;

  @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of N hours.")
  int hourly;

  @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest snapshot of each of N days.")
  int daily;

  @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest snapshot of each of N ISO weeks.")
  int weekly;

  @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest snapshot of each of N months.")
  int monthly;

  @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the newest snapshot of each of N years.")
  int yearly;

  @Option(names = "--keep-within", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep every snapshot taken within DURATION of the newest one, e.g. 2d, 1y6m (m = months).")
  Duration within;

  @Option(names = "--keep-within-hourly", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep the newest snapshot of each hour within DURATION of the newest snapshot.")
  Duration withinHourly;

  @Option(names = "--keep-within-daily", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep the newest snapshot of each day within DURATION, e.g. 7d.")
  Duration withinDaily;

  @Option(names = "--keep-within-weekly", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep the newest snapshot of each ISO week within DURATION, e.g. 2m.")
  Duration withinWeekly;

  @Option(names = "--keep-within-monthly", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep the newest snapshot of each month within DURATION, e.g. 1y.")
  Duration withinMonthly;

  @Option(names = "--keep-within-yearly", paramLabel = "DURATION", converter = RetentionDuration.class,
      description = "Keep the newest snapshot of each year within DURATION, e.g. 10y.")
  Duration withinYearly;

  @Option(names = "--keep-tag", paramLabel = "TAG[,TAG...]",
      description = "Keep every snapshot carrying all these tags (repeatable: any of the lists).")
  List<String> keepTags = new ArrayList<>();

  @Option(names = "--group-by", paramLabel = "host,plan,source,tags", defaultValue = "host,plan,source",
      description = "Apply the policy to each group of snapshots sharing these (default: ${DEFAULT-VALUE}; '' for one group).")
  String groupBy;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "Time zone whose calendar defines hours, days, weeks... (default: the system's).")
  ZoneId zone;

  @Option(names = {"-n", "--dry-run"}, description = "Only show what would be kept and removed, and why.")
  boolean dryRun;

  @Option(names = "--prune", description = "Then remove the data no remaining snapshot needs, like 'cairn prune'.")
  boolean prune;

  @Mixin PruneSettings pruneSettings;

  @Override
  java.util.Map<String, java.util.List<String>> dependentOptions() {
    return java.util.Map.of("--max-unused", java.util.List.of("--prune"), "--safety-window", java.util.List.of("--prune"));
  }

  @Override
  int run() {
    Retention policy = policy();
    if (!ids.isEmpty()) {
      if (!policy.isEmpty()) {
        throw new ConfigurationException("give snapshot ids or --keep-* rules, not both");
      }
      return forgetIds();
    }
    if (policy.isEmpty()) {
      throw new ConfigurationException("no --keep-* option given: say what to keep, e.g. --keep-daily 7"
          + " --keep-weekly 4 (forget with no rule would remove every snapshot)");
    }
    Output out = output();
    try (Repository repo = openRepository()) {
      RetentionPlan plan = repo.forget(policy, dryRun);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dry_run", dryRun);
      m.put("groups", plan.toJson());
      out.message("forget", m);
      // the keep/remove table is the point of a dry run; after a real forget -q (cron) leaves it out
      if (dryRun) {
        out.text("%s", plan.render().stripTrailing());
      } else {
        out.info("%s", plan.render().stripTrailing());
      }
      out.info("%s %d snapshots, kept %d", dryRun ? "would remove" : "removed", plan.remove().size(), plan.keep().size());
      if (prune) {
        PruneCommand.print(out, prune(repo, plan.remove().stream().map(Snapshot::id).toList()));
      }
    }
    return ExitCodes.OK;
  }

  /** The prune after a forget; a dry run prunes as if {@code forgotten} were gone, as the real run does. */
  private PruneReport prune(Repository repo, List<ObjectId> forgotten) {
    return dryRun ? repo.prune(pruneSettings.options(true), forgotten) : repo.prune(pruneSettings.options(false));
  }

  private int forgetIds() {
    for (String option : List.of("--group-by", "--zone")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new ConfigurationException(option + " applies to --keep-* rules; snapshots given by id are removed as"
            + " they are: give ids or rules");
      }
    }
    Output out = output();
    try (Repository repo = openRepository()) {
      List<ObjectId> removed = repo.forget(ids, dryRun);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dry_run", dryRun);
      m.put("removed", removed.stream().map(ObjectId::hex).toList());
      out.message("forget", m);
      for (ObjectId id : removed) {
        out.text("%s %s", dryRun ? "would remove" : "removed", id.shortHex());
      }
      if (prune) {
        PruneCommand.print(out, prune(repo, removed));
      }
    }
    return ExitCodes.OK;
  }

  /** {@code p} with the keep-within rule {@code rule} for {@code d}, if given. */
  private static Retention within(Retention p, Duration d,
      java.util.function.BiFunction<Retention, Duration, Retention> rule) {
    return d == null ? p : rule.apply(p, d);
  }

  Retention policy() {
    Retention p = Retention.policy().keepLast(last).keepHourly(hourly).keepDaily(daily).keepWeekly(weekly)
        .keepMonthly(monthly).keepYearly(yearly);
    p = within(p, within, Retention::keepWithin);
    p = within(p, withinHourly, Retention::keepWithinHourly);
    p = within(p, withinDaily, Retention::keepWithinDaily);
    p = within(p, withinWeekly, Retention::keepWithinWeekly);
    p = within(p, withinMonthly, Retention::keepWithinMonthly);
    p = within(p, withinYearly, Retention::keepWithinYearly);
    for (String tags : keepTags) {
      p = p.keepTag(tags.split(",", -1));
    }
    List<Retention.GroupBy> by = new ArrayList<>();
    for (String part : groupBy.split(",")) {
      if (!part.isBlank()) {
        try {
          by.add(Retention.GroupBy.valueOf(part.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException("--group-by " + groupBy + ": '" + part + "' is not one of host, plan,"
              + " source, tags (or '' for no grouping)");
        }
      }
    }
    p = p.groupBy(by.toArray(Retention.GroupBy[]::new));
    return zone == null ? p : p.zone(zone);
  }
}
