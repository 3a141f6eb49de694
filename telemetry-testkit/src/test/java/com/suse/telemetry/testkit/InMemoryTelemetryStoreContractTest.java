package com.suse.telemetry.testkit;

import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import java.util.List;

/** The in-memory store keeps the same contract as the real ones. */
class InMemoryTelemetryStoreContractTest extends TelemetryStoreContract {

  @Override
  protected Subject newSubject(List<String> sinks) {
    InMemoryTelemetryStore store = InMemoryTelemetryStore.create(sinks.toArray(String[]::new));
    return new Subject(store, store, store::records);
  }

  @Override
  protected Outage newOutage(List<String> sinks) {
    InMemoryTelemetryStore store = InMemoryTelemetryStore.create(sinks.toArray(String[]::new));
    Subject subject = new Subject(store, store, store::records);
    return new Outage() {
      @Override
      public Subject subject() {
        return subject;
      }

      @Override
      public void stop() {
        store.setAvailable(false);
      }

      @Override
      public void start() {
        store.setAvailable(true);
      }

      @Override
      public void close() {}
    };
  }
}
