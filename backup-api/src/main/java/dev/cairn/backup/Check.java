package dev.cairn.backup;

/**
 * A usability check run before each backup: does the YAML parse, does the playbook pass a syntax
 * check, is the database reachable. Its outcome is stored in the snapshot.
 *
 * <p>A check passes by returning normally and fails by throwing; the exception's message is the
 * reason shown to users. Implementations are thread-safe.
 */
public interface Check {

  /** What happens to the backup when a check fails. */
  enum OnFailure {
    /** Do not back up; no snapshot is written. The default. */
    ABORT,
    /** Back up anyway and mark the snapshot as failed-check. */
    MARK
  }

  /** A short name shown in reports, e.g. {@code yaml:group_vars/all.yaml}. */
  String name();

  /** Runs the check; throws with a message saying what is wrong if it fails. */
  void run() throws Exception;

  /** The policy on failure; {@link OnFailure#ABORT} unless overridden. */
  default OnFailure onFailure() {
    return OnFailure.ABORT;
  }

  /**
   * This check with another policy on failure, e.g. {@code Checks.yamlParses(p).onFailure(MARK)} to
   * back up anyway and mark the snapshot as failed-check.
   */
  default Check onFailure(OnFailure policy) {
    java.util.Objects.requireNonNull(policy, "policy");
    Check self = this;
    return new Check() {
      @Override
      public String name() {
        return self.name();
      }

      @Override
      public void run() throws Exception {
        self.run();
      }

      @Override
      public OnFailure onFailure() {
        return policy;
      }

      @Override
      public String toString() {
        return self.name() + " (on failure: " + policy + ")";
      }
    };
  }
}
