package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestionServiceTest {

  private static final TelemetryValidator VALIDATOR =
      TelemetryValidator.create(TelemetryTypeRegistry.bundled());

  private final InMemoryTelemetryStore store = InMemoryTelemetryStore.create("archive");
  private final IngestionService ingestion = IngestionService.create(VALIDATOR, store);

  @Test
  void storesEveryRecordOfAnAcceptedEnvelope() {
    IngestionResult result = ingestion.ingest(SchemaFiles.designDocumentEnvelope());

    assertThat(result.isAccepted()).isTrue();
    assertThat(result.accepted()).isEqualTo(2);
    assertThat(result.duplicates()).isZero();
    assertThat(store.records()).hasSize(2);
    assertThat(store.lag("archive").pending()).isEqualTo(2);
  }

  @Test
  void countsARecordSentAgainAsADuplicate() {
    ingestion.ingest(SchemaFiles.designDocumentEnvelope());

    IngestionResult again = ingestion.ingest(SchemaFiles.designDocumentEnvelope());

    assertThat(again.accepted()).isZero();
    assertThat(again.duplicates()).isEqualTo(2);
    assertThat(store.records()).hasSize(2);
  }

  @Test
  void storesNothingOfARejectedEnvelope() {
    String broken =
        new String(SchemaFiles.designDocumentEnvelope(), StandardCharsets.UTF_8)
            .replaceFirst("\"cpu_count\": 2", "\"cpu_count\": -2");

    IngestionResult result = ingestion.ingest(broken.getBytes(StandardCharsets.UTF_8));

    assertThat(result.isAccepted()).isFalse();
    assertThat(result.violations())
        .extracting(Violation::pointer)
        .containsExactly("/payload/0/cpu_count");
    assertThat(store.records()).isEmpty();
  }

  @Test
  void ingestsABareTrentoPayload() {
    byte[] hosts =
        SchemaFiles.example("trento/host_telemetry/examples/v1/valid/later-generation.json");

    IngestionResult result =
        ingestion.ingestPayload(
            new TelemetryTypeId("trento", "host_telemetry", 1), new ByteArrayInputStream(hosts));

    assertThat(result.accepted()).isEqualTo(2);
  }

  @Test
  void letsAStoreOutageThrough() {
    store.setAvailable(false);

    assertThatThrownBy(() -> ingestion.ingest(SchemaFiles.designDocumentEnvelope()))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
