package com.suse.telemetry.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency direction of docs/ARCHITECTURE.md, checked over the whole reactor. */
class ArchitectureTest {

  private static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("com.suse.telemetry");

  private static final String CORE = "com.suse.telemetry.core..";
  private static final String POSTGRES = "com.suse.telemetry.storage.postgres..";
  private static final String INFLUX = "com.suse.telemetry.storage.influx..";
  private static final String HTTP = "com.suse.telemetry.http..";
  private static final String APP = "com.suse.telemetry.app..";

  @Test
  void coreDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(POSTGRES, INFLUX, HTTP, APP, "com.suse.telemetry.testkit..")
        .check(ALL);
  }

  @Test
  void adaptersNeverDependOnEachOtherOrOnTheApp() {
    noClasses()
        .that()
        .resideInAPackage(POSTGRES)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(INFLUX, HTTP, APP)
        .check(ALL);
    noClasses()
        .that()
        .resideInAPackage(INFLUX)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(POSTGRES, HTTP, APP)
        .check(ALL);
    noClasses()
        .that()
        .resideInAPackage(HTTP)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(POSTGRES, INFLUX, APP)
        .check(ALL);
  }

  /** Sinks are plug-ins: the app finds them with ServiceLoader and names none. */
  @Test
  void appNamesNoSinkModule() {
    noClasses()
        .that()
        .resideInAPackage(APP)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(INFLUX)
        .check(ALL);
  }

  @Test
  void onlyCoreUsesItsInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.suse.telemetry.core.internal..")
        .check(ALL);
  }
}
