package com.suse.telemetry.storage.postgres;

import java.util.List;

/**
 * What a retention run removed.
 *
 * @param droppedPartitions the partitions dropped whole, with their rows, oldest first
 * @param rowsDeleted the rows deleted one by one from the partition below the months
 */
public record RetentionResult(List<DroppedPartition> droppedPartitions, long rowsDeleted) {

  /** A partition dropped whole. */
  public record DroppedPartition(String name, long rows) {}

  /** Copies the list. */
  public RetentionResult {
    droppedPartitions = List.copyOf(droppedPartitions);
  }

  /** Every row removed: those of the dropped partitions and those deleted. */
  public long rows() {
    return rowsDeleted + droppedPartitions.stream().mapToLong(DroppedPartition::rows).sum();
  }
}
