package com.suse.telemetry.client;

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

/**
 * Sources embed the client: it uses the core's API only, and its own API shows no Jackson type, so
 * that a source may bring its own Jackson.
 */
class ClientArchitectureTest {

  private static final JavaClasses CLIENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("com.suse.telemetry.client");

  @Test
  void usesTheCoresApiOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.suse.telemetry.core.internal..",
            "com.suse.telemetry.core.spi..",
            "com.networknt..")
        .check(CLIENT);
  }

  @Test
  void publicApiExposesNoJacksonType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(
            new ArchCondition<JavaCodeUnit>("not mention Jackson types") {
              @Override
              public void check(JavaCodeUnit method, ConditionEvents events) {
                Set<JavaClass> types =
                    new HashSet<>(method.getReturnType().getAllInvolvedRawTypes());
                method.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                for (JavaClass type : types) {
                  if (type.getName().startsWith("tools.jackson.")) {
                    events.add(
                        SimpleConditionEvent.violated(
                            method, method.getFullName() + " exposes " + type.getName()));
                  }
                }
              }
            })
        .check(CLIENT);
  }
}
