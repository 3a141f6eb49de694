package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each kind of binary array, sent to a real PostgreSQL and read back as it stored it. */
class BinaryArrayTest {

  private static Connection connection;

  @BeforeAll
  static void connect() throws SQLException {
    connection = TestPostgres.newDatabase().connect();
  }

  @AfterAll
  static void close() throws SQLException {
    connection.close();
  }

  /** {@code array} sent as {@code cast}'s parameter; each element read back as text. */
  private static List<String> roundTrip(BinaryArray array, String cast) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT e::text FROM unnest(CAST(? AS "
                + cast
                + ")) WITH ORDINALITY AS a(e, i)"
                + " ORDER BY i")) {
      query.setObject(1, array);
      List<String> values = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    }
  }

  @Test
  void textGoesAsItsBytesWhateverItHolds() throws SQLException {
    // What the text encoding had to escape or quote, and characters beyond the BMP.
    List<String> texts =
        List.of(
            "",
            "NULL",
            "{\"a\": [1, \"b,c\"]}",
            "back\\slash \"quoted\" {braces}, commas",
            " leading and trailing ",
            "ünïcödé 🚀 𝄞",
            "x".repeat(100_000));

    assertThat(roundTrip(BinaryArray.text(texts, Function.identity()), "text[]"))
        .containsExactlyElementsOf(texts);
  }

  @Test
  void jsonPayloadsCastFromTheTextArrayAsBefore() throws SQLException {
    List<String> payloads = List.of("{\"cpu\": 4, \"name\": \"h\\u00e9\"}", "[1, 2.5, null]");

    assertThat(roundTrip(BinaryArray.text(payloads, Function.identity()), "text[]"))
        .containsExactlyElementsOf(payloads);
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT string_agg(p::jsonb ->> 'name', '') FROM unnest(CAST(? AS text[])) AS p"
                + " WHERE jsonb_typeof(p::jsonb) = 'object'")) {
      query.setObject(1, BinaryArray.text(payloads, Function.identity()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("hé");
      }
    }
  }

  @Test
  void integersKeepTheirSignAndRange() throws SQLException {
    List<Integer> numbers = List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 999_999_999);

    assertThat(roundTrip(BinaryArray.int4(numbers, Integer::intValue), "integer[]"))
        .containsExactly("0", "1", "-1", "2147483647", "-2147483648", "999999999");
  }

  @Test
  void timesAndIdentitiesGoAsTextForTheStatementToCast() throws SQLException {
    execute("SET TIME ZONE 'UTC'");
    List<String> times = List.of("2026-12-02T06:45:01.123456Z", "1969-07-20T20:17:40Z");
    List<String> identities = List.of("0123456789ABCDEF0123456789abcdef");

    assertThat(roundTrip(BinaryArray.text(times, Function.identity()), "timestamptz[]"))
        .containsExactly("2026-12-02 06:45:01.123456+00", "1969-07-20 20:17:40+00");
    assertThat(roundTrip(BinaryArray.text(identities, Function.identity()), "uuid[]"))
        .containsExactly("01234567-89ab-cdef-0123-456789abcdef");
  }

  @Test
  void anEmptyArrayIsEmpty() throws SQLException {
    assertThat(roundTrip(BinaryArray.text(List.<String>of(), Function.identity()), "text[]"))
        .isEmpty();
  }

  private static void execute(String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
