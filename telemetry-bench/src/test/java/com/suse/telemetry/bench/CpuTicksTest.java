package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuTicksTest {

  // user nice system idle iowait irq softirq steal guest guest_nice
  private static final String MACHINE = "cpu  100 0 50 800 20 5 5 20 30 0";
  // A command whose name holds spaces and parentheses; utime 70 and stime 30 are fields 14, 15.
  private static final String PROCESS =
      "4242 (java (a b)) S 1 4242 4242 0 -1 4194560 100 0 0 0 70 30 0 0 20 0 40 0 1000";

  @Test
  void readsTheMachineAndTheProcessAsLinuxWritesThem() {
    // Idle and I/O wait are not busy; stolen time is; guest time is inside user time already.
    assertThat(CpuTicks.parse(MACHINE, PROCESS)).isEqualTo(new CpuTicks(180, 1000, 100));
    assertThat(CpuTicks.parse(MACHINE, "")).isEqualTo(new CpuTicks(180, 1000, -1));
  }

  @Test
  void useIsTheShareOfAllProcessorsTimeBetweenTwoReadings() {
    CpuTicks earlier = new CpuTicks(180, 1000, 100);

    assertThat(new CpuTicks(330, 1200, 150).since(earlier)).isEqualTo(new CpuUse(0.75, 0.25));
    assertThat(new CpuTicks(330, 1200, -1).since(new CpuTicks(180, 1000, -1)).server()).isNaN();
  }

  @Test
  void whatCannotBeReadIsUnknownNotZero() {
    assertThat(CpuTicks.parse("intr 1 2 3", "")).isEqualTo(CpuTicks.UNKNOWN);
    assertThat(CpuTicks.UNKNOWN.since(CpuTicks.UNKNOWN)).isEqualTo(CpuUse.UNKNOWN);
    assertThat(new CpuTicks(5, 10, 1).since(new CpuTicks(5, 10, 1))).isEqualTo(CpuUse.UNKNOWN);
  }

  @Test
  void readsThisMachineAndThisProcessWhereItIsLinux() {
    CpuTicks now = CpuTicks.now(ProcessHandle.current().pid());

    if (now != CpuTicks.UNKNOWN) {
      assertThat(now.total()).isPositive();
      assertThat(now.busy()).isBetween(0L, now.total());
      assertThat(now.process()).isPositive();
    }
  }
}
