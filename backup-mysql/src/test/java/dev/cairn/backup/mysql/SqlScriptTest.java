package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void roundTripsStatementsWithSemicolonsAndCommentsInside() {
    List<String> statements = List.of("SET SESSION sql_mode = ''",
        "CREATE PROCEDURE p()\nBEGIN\n-- inner comment\n  SELECT 1;\n  SELECT ';';\nEND",
        "CREATE VIEW v AS SELECT 1");
    String text = SqlScript.render("header", statements);
    assertThat(text).startsWith("-- header\nDELIMITER ;;\n").endsWith(";;\nDELIMITER ;\n");
    assertThat(SqlScript.parse(text)).isEqualTo(statements);
  }

  @Test
  void rejectsATruncatedScript() {
    assertThatThrownBy(() -> SqlScript.parse("DELIMITER ;;\nCREATE TABLE t (a INT)\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CREATE TABLE t");
  }

  @Test
  void ordersViewsAfterTheViewsTheyName() {
    Map<String, String> views = new java.util.LinkedHashMap<>();
    views.put("a", "CREATE VIEW `a` AS select * from `b`");
    views.put("b", "CREATE VIEW `b` AS select * from `c`");
    views.put("c", "CREATE VIEW `c` AS select 1");
    assertThat(MySqlSource.dependencyOrder(views)).containsExactly(views.get("c"), views.get("b"), views.get("a"));
  }
}
