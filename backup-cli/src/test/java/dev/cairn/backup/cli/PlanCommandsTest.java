package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn plan validate|run|status|drill} on a plan with a file source, run in-process. */
class PlanCommandsTest {
  @TempDir Path dir;

  /** A config tree, a passphrase file and a plan with a local primary and an off-site copy target. */
  private Path plan() throws Exception {
    Path ansible = dir.resolve("ansible");
    Files.createDirectories(ansible.resolve("group_vars"));
    Files.createDirectories(ansible.resolve("roles/web/tasks"));
    Files.writeString(ansible.resolve("group_vars/all.yaml"), "ntp_server: ntp.example\nusers: [alice, bob]\n");
    Files.writeString(ansible.resolve("roles/web/tasks/main.yaml"), "- name: nginx\n  apt: {name: nginx}\n");
    Files.writeString(ansible.resolve("notes.txt"), "not part of the plan");
    Files.writeString(dir.resolve("passphrase"), "plan-pw\n");
    Path plan = dir.resolve("plan.yaml");
    Files.writeString(plan, """
        name: infra
        sources:
          - name: ansible
            type: files
            root: ansible
            include: [group_vars/all.yaml, "roles/*/tasks/main.yaml"]
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            primary: true
            storage: repo-local
            schedule: daily
            retention: {keep-last: 1}
          - name: offsite
            storage: repo-offsite
            schedule: monthly
        checks:
          - yaml: [ansible/group_vars/all.yaml]
        objectives:
          rpo: 24h
          rto: 12h
          enforce: warn
        drill:
          scratch: scratch
          reports: drills
        """);
    return plan;
  }

  @Test
  void validatesRunsDrillsAndReportsHealth() throws Exception {
    Path plan = plan();
    Cli cli = new Cli();
    Cli.Result valid = cli.run("plan", "validate", plan.toString());
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    assertThat(valid.out()).contains("plan infra").contains("is valid").contains("ansible (files)")
        .contains("target offsite");
    assertThat(valid.err()).as("two targets are not three copies: warned, since the plan says enforce: warn")
        .contains("THREE_COPIES");

    Cli.Result before = cli.run("plan", "status", plan.toString());
    assertThat(before.exitCode()).as("no repository yet").isEqualTo(ExitCodes.NO_REPOSITORY);
    assertThat(before.err()).contains("repo-local");

    Cli.Result run = cli.run("plan", "run", "--init", plan.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("passed").contains("snapshot").contains("copied to offsite");

    Cli.Result undrilled = cli.run("plan", "status", plan.toString());
    assertThat(undrilled.exitCode()).as("the RTO is not proven by a drill yet").isEqualTo(1);
    assertThat(undrilled.out()).contains("OBJECTIVES MISSED").contains("no restore drill");

    Cli.Result drill = cli.run("plan", "drill", plan.toString());
    assertThat(drill.exitCode()).as(drill.err()).isZero();
    assertThat(drill.out()).contains("source ansible").contains("result: PASSED");
    Cli.Result drillJson = cli.run("plan", "drill", "--json", plan.toString());
    assertThat(drillJson.out()).contains("\"passed\":true");

    Cli.Result after = cli.run("plan", "status", "--json", plan.toString());
    assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
    assertThat(after.out()).contains("\"ok\":true").contains("\"target\":\"offsite\"");

    // a second run applies the primary's retention (keep-last 1); the off-site copy keeps both
    Files.writeString(dir.resolve("ansible/group_vars/all.yaml"), "ntp_server: ntp2.example\n");
    Cli.Result second = cli.run("plan", "run", plan.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("retention of target local").contains("kept 1, removed 1 snapshots");
    Cli.Result local = new Cli().env("CAIRN_PASSWORD", "plan-pw")
        .run("snapshots", "--json", "--repo", dir.resolve("repo-local").toString());
    assertThat(local.out().split("\"short_id\"", -1)).hasSize(2);

    // the off-site copy alone restores the tree
    Path restored = dir.resolve("restored");
    Cli.Result restore = new Cli().env("CAIRN_PASSWORD", "plan-pw")
        .run("restore", "latest", "--repo", dir.resolve("repo-offsite").toString(), "--target", restored.toString());
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restored.resolve("group_vars/all.yaml")).as("the monthly copy holds the first run's snapshot")
        .hasContent("ntp_server: ntp.example\nusers: [alice, bob]\n");
    assertThat(restored.resolve("notes.txt")).doesNotExist();
  }

  @Test
  void malformedPlanNamesTheLineAndKey() throws Exception {
    Path plan = dir.resolve("bad.yaml");
    Files.writeString(plan, "name: x\nsources:\n  - name: a\n    type: files\n    root: .\n    colour: blue\n");
    Cli.Result r = new Cli().run("plan", "validate", plan.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bad.yaml").contains("colour").contains("6");
  }
}
