package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineCpuTest {

  @Test
  void readsBusyAndTotalTimeFromTheFirstLineOfProcStat() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    MachineCpu cpu = MachineCpu.parse("cpu  100 0 50 800 20 5 5 20 30 0");

    // Idle and I/O wait are not busy; stolen time is; guest time is inside user time already.
    assertThat(cpu).isEqualTo(new MachineCpu(180, 1000));
  }

  @Test
  void busySinceIsTheBusyShareOfTheTimeBetweenTwoReadings() {
    MachineCpu earlier = new MachineCpu(180, 1000);

    assertThat(new MachineCpu(330, 1200).busySince(earlier)).isEqualTo(0.75);
  }

  @Test
  void whatCannotBeReadIsUnknownNotZero() {
    assertThat(MachineCpu.parse("intr 1 2 3")).isEqualTo(MachineCpu.UNKNOWN);
    assertThat(MachineCpu.UNKNOWN.busySince(MachineCpu.UNKNOWN)).isNaN();
    assertThat(new MachineCpu(5, 10).busySince(new MachineCpu(5, 10))).isNaN();
  }

  @Test
  void readsThisMachineWhereItIsLinux() {
    MachineCpu now = MachineCpu.now();

    if (now != MachineCpu.UNKNOWN) {
      assertThat(now.total()).isPositive();
      assertThat(now.busy()).isBetween(0L, now.total());
    }
  }
}
