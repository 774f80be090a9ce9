package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySqlRestorerTest {
  private static final String SBTEST = "CREATE TABLE `sbtest1` (\n"
      + "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
      + "  `k` int(11) NOT NULL DEFAULT 0,\n"
      + "  `c` char(120) NOT NULL DEFAULT '',\n"
      + "  PRIMARY KEY (`id`),\n"
      + "  UNIQUE KEY `c_u` (`c`),\n"
      + "  KEY `k_1` (`k`),\n"
      + "  KEY `kc` (`k`,`c`) COMMENT 'a, b'\n"
      + ") ENGINE=InnoDB AUTO_INCREMENT=400001 DEFAULT CHARSET=latin1";

  @Test
  void defersPlainSecondaryKeysToOneAlterTable() {
    String[] split = MySqlRestorer.deferKeys(SBTEST, "sbtest1");
    assertThat(split[0]).isEqualTo("CREATE TABLE `sbtest1` (\n"
        + "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
        + "  `k` int(11) NOT NULL DEFAULT 0,\n"
        + "  `c` char(120) NOT NULL DEFAULT '',\n"
        + "  PRIMARY KEY (`id`),\n"
        + "  UNIQUE KEY `c_u` (`c`)\n"
        + ") ENGINE=InnoDB AUTO_INCREMENT=400001 DEFAULT CHARSET=latin1");
    assertThat(split[1]).isEqualTo("ALTER TABLE `sbtest1` ADD KEY `k_1` (`k`), ADD KEY `kc` (`k`,`c`) COMMENT 'a, b'");
  }

  @Test
  void keepsTablesWithForeignKeysOrWithoutSecondaryKeysAsTheyAre() {
    assertThat(MySqlRestorer.deferKeys(SBTEST.replace("  KEY `kc` (`k`,`c`) COMMENT 'a, b'\n",
        "  CONSTRAINT `fk` FOREIGN KEY (`k`) REFERENCES `p` (`id`)\n"), "sbtest1")).isNull();
    assertThat(MySqlRestorer.deferKeys("CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n)"
        + " ENGINE=InnoDB", "t")).isNull();
  }

  @org.junit.jupiter.api.Test
  void eventsAreDisabledAsShowCreateEventPrintsThem() {
    String enabled = "CREATE DEFINER=`root`@`localhost` EVENT `tick` ON SCHEDULE EVERY 1 SECOND STARTS"
        + " '2026-11-28 04:00:00' ON COMPLETION PRESERVE ENABLE COMMENT 'ENABLE me' DO INSERT INTO app.log VALUES (NOW())";
    org.assertj.core.api.Assertions.assertThat(MySqlRestorer.disabledEvent(enabled)).isEqualTo(enabled
        .replace("PRESERVE ENABLE COMMENT", "PRESERVE DISABLE COMMENT"));
    String replica = "CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE DISABLE ON SLAVE DO SELECT 1";
    org.assertj.core.api.Assertions.assertThat(MySqlRestorer.disabledEvent(replica))
        .isEqualTo("CREATE EVENT e ON SCHEDULE EVERY 1 DAY ON COMPLETION NOT PRESERVE DISABLE DO SELECT 1");
    org.assertj.core.api.Assertions.assertThat(MySqlRestorer.disabledEvent("SET time_zone = '+00:00'"))
        .isEqualTo("SET time_zone = '+00:00'");
    // a definition without its state where SHOW CREATE EVENT puts it is not created at all
    org.assertj.core.api.Assertions.assertThat(MySqlRestorer.disabledEvent("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1"))
        .isNull();
  }

  @Test
  void triggersNamingTheirDatabaseAreCreatedInTheSessionsDatabase() {
    assertThat(MySqlRestorer.unqualifiedTrigger(
        "CREATE DEFINER=`admin`@`%` TRIGGER prod.dbl BEFORE INSERT ON `prod`.`t` FOR EACH ROW SET NEW.v = prod.f(1)", "prod"))
        .isEqualTo("CREATE DEFINER=`admin`@`%` TRIGGER dbl BEFORE INSERT ON `t` FOR EACH ROW SET NEW.v = prod.f(1)");
    assertThat(MySqlRestorer.unqualifiedTrigger(
        "CREATE DEFINER=`a`@`%` TRIGGER `x` AFTER UPDATE ON t FOR EACH ROW SET @a = 1", "prod"))
        .isEqualTo("CREATE DEFINER=`a`@`%` TRIGGER `x` AFTER UPDATE ON t FOR EACH ROW SET @a = 1");
    assertThat(MySqlRestorer.unqualifiedTrigger("SET SESSION sql_mode = ''", "prod")).isEqualTo("SET SESSION sql_mode = ''");
  }
}
