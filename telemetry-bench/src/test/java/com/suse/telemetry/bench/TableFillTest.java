package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresPartitions;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fill of the scale and retention measurements, on a table migrated as the collector does. */
class TableFillTest {

  private static final YearMonth NOW = YearMonth.now(ZoneOffset.UTC);
  private static BenchmarkDatabase database;

  @BeforeAll
  static void migrate() {
    TestPostgres.Database db = TestPostgres.newDatabase();
    PostgresMigrations.migrate(PostgresSettings.of(db.url(), db.user(), db.password()));
    PostgresPartitions.create(db.dataSource()).withMonthsAhead(3).ensure(Instant.now());
    database = BenchmarkDatabase.of(db);
  }

  private static Map<String, Long> countsByPartition() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT tableoid::regclass::text, count(*) FROM telemetry GROUP BY 1")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    }
    return counts;
  }

  @Test
  void spreadsTheRowsEvenlyOverTheMonthsEachInItsPartition() throws Exception {
    database.truncate();

    TableFill.fill(database, List.of(NOW, NOW.plusMonths(1), NOW.plusMonths(2)), 1_001, 5, 1);

    Map<String, Long> expected =
        Map.of(
            TableFill.partition(NOW), 334L,
            TableFill.partition(NOW.plusMonths(1)), 334L,
            TableFill.partition(NOW.plusMonths(2)), 333L);
    assertThat(countsByPartition()).isEqualTo(expected);
    database.vacuumAnalyze();
    assertThat(database.partitionRows())
        .contains(
            new Measurements.PartitionRows(TableFill.partition(NOW), 334),
            new Measurements.PartitionRows("telemetry_before", 0),
            new Measurements.PartitionRows("telemetry_after", 0));
  }

  @Test
  void refusesAMonthWithoutAPartitionOfItsOwn() throws Exception {
    database.truncate();

    assertThatThrownBy(() -> TableFill.fill(database, List.of(NOW.plusMonths(10)), 100, 5, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no partition " + TableFill.partition(NOW.plusMonths(10)));
    assertThat(countsByPartition()).isEmpty();
  }

  @Test
  void givesTheRemainderToTheFirstMonths() {
    assertThat(TableFill.rowsPerMonth(14, 4)).containsExactly(4L, 4L, 3L, 3L);
    assertThat(TableFill.rowsPerMonth(0, 2)).containsExactly(0L, 0L);
    assertThat(TableFill.partition(YearMonth.of(2027, 3))).isEqualTo("telemetry_2027_03");
  }
}
