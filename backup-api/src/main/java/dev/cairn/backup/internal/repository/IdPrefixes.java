package dev.cairn.backup.internal.repository;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.ObjectId;
import java.util.List;
import java.util.Locale;

/** Resolves a full id or a unique prefix of one, as users type them, among known ids. Internal API. */
public final class IdPrefixes {
  private IdPrefixes() {}

  /**
   * The one id among {@code ids} that {@code ref} (a full id or a unique prefix) names.
   *
   * @param what what the ids are, in messages ({@code snapshot}, {@code pack})
   * @param listHint where to find the ids, in the message when none matches
   * @throws BackupException naming {@code ref} if it is not hex, or matches no id or several
   */
  public static ObjectId resolve(List<ObjectId> ids, String ref, String what, String listHint) {
    String r = ref.trim().toLowerCase(Locale.ROOT);
    if (!r.matches("[0-9a-f]{1,64}")) {
      throw new BackupException("'" + ref + "' is not a " + what + " id or a prefix of one");
    }
    List<ObjectId> matches = ids.stream().filter(id -> id.hex().startsWith(r)).toList();
    if (matches.isEmpty()) {
      throw new BackupException("no " + what + " with id '" + ref + "'; " + listHint);
    }
    if (matches.size() > 1) {
      throw new BackupException(what + " id prefix '" + ref + "' is ambiguous (" + matches.size()
          + " " + what + "s match); give more digits");
    }
    return matches.get(0);
  }
}
