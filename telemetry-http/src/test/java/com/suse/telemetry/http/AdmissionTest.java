package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static Admission admission(int most, boolean adaptive) {
    return new Admission(new HttpSettings.AdmissionLimits(most, adaptive, 0, 1, List.of()));
  }

  private static List<Admission.Place> takeAll(Admission admission) {
    List<Admission.Place> places = new ArrayList<>();
    for (Optional<Admission.Place> place = admission.tryEnter();
        place.isPresent();
        place = admission.tryEnter()) {
      places.add(place.get());
    }
    return places;
  }

  @Test
  void aFixedAdmissionAlwaysHasTheMostPlaces() {
    Admission fixed = admission(5, false);

    List<Admission.Place> taken = takeAll(fixed);

    assertThat(taken).hasSize(5);
    assertThat(fixed.inFlight()).isEqualTo(5);
    taken.get(0).done();
    assertThat(fixed.tryEnter()).isPresent();
  }

  @Test
  void anAdaptiveAdmissionStartsAtTheMostAndStaysWithinHalfOfIt() throws InterruptedException {
    Admission adaptive = admission(64, true);

    List<Admission.Place> taken = takeAll(adaptive);

    assertThat(taken).hasSize(64);
    taken.forEach(Admission.Place::done);
    for (int round = 0; round < 100; round++) {
      // Quick, steady work first, then work that takes far longer: the limit falls, not below
      // half the most, and never rises past the most.
      List<Admission.Place> places = takeAll(adaptive);
      if (round >= 50) {
        Thread.sleep(5);
      }
      places.forEach(Admission.Place::done);
      assertThat(adaptive.limit()).isBetween(32, 64);
    }
    assertThat(admission(3, true).limit()).isEqualTo(3);
  }

  @Test
  void aPlaceGivenBackForAnyReasonIsFreeAgain() {
    Admission one = admission(1, true);

    Admission.Place place = one.tryEnter().orElseThrow();
    assertThat(one.tryEnter()).isEmpty();
    place.ignored();

    assertThat(one.tryEnter()).isPresent();
  }
}
