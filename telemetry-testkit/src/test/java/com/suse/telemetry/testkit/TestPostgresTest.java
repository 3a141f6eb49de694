package com.suse.telemetry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPostgresTest {

  @TempDir Path parent;

  @Test
  void startsADedicatedServerWithItsDataUnderTheGivenDirectoryAndTheGivenSettings()
      throws Exception {
    Path data;
    try (TestPostgres.DedicatedServer server =
        TestPostgres.startDedicated(parent, Map.of("fsync", "on", "synchronous_commit", "on"))) {
      try (Connection connection = server.database().connect();
          Statement statement = connection.createStatement()) {
        data = Path.of(value(statement, "SHOW data_directory"));
        assertThat(data.getParent()).isEqualTo(parent.toRealPath());
        assertThat(value(statement, "SHOW fsync")).isEqualTo("on");
        assertThat(value(statement, "SHOW synchronous_commit")).isEqualTo("on");
      }
    }
    assertThat(Files.exists(data)).as("data deleted on close").isFalse();
  }

  private static String value(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
