package com.suse.telemetry.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeps the embeddable core free of frameworks, and its public API free of engine types. */
class CoreArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("com.suse.telemetry.core");

  @Test
  void coreUsesNoServerDatabaseOrFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..",
            "org.eclipse.jetty..",
            "org.jdbi..",
            "java.sql..",
            "javax.sql..",
            "org.postgresql..",
            "org.flywaydb..",
            "com.influxdb..",
            "kotlin..",
            "okhttp3..")
        .check(CORE);
  }

  @Test
  void publicApiExposesNoJacksonOrSchemaEngineType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..core.internal..")
        .should(
            new ArchCondition<JavaCodeUnit>("not mention Jackson or networknt types") {
              @Override
              public void check(JavaCodeUnit method, ConditionEvents events) {
                Set<JavaClass> types =
                    new HashSet<>(method.getReturnType().getAllInvolvedRawTypes());
                method.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                for (JavaClass type : types) {
                  String name = type.getName();
                  if (name.startsWith("tools.jackson.")
                      || name.startsWith("com.networknt.")
                      || name.startsWith("com.suse.telemetry.core.internal.")) {
                    events.add(
                        SimpleConditionEvent.violated(
                            method, method.getFullName() + " exposes " + name));
                  }
                }
              }
            })
        .check(CORE);
  }
}
