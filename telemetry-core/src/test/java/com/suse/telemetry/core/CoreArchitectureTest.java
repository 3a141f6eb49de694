package com.suse.telemetry.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps the embeddable core free of frameworks and of any sink technology, and its public API free
 * of engine types.
 */
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

  /**
   * Sinks are plug-ins: the core names none. A class file holds every name and string constant of
   * its class, so none may mention InfluxDB, in any case.
   */
  @Test
  void coreNamesNoSinkTechnology() {
    classes()
        .should(
            new ArchCondition<JavaClass>("not name InfluxDB in a name or string constant") {
              @Override
              public void check(JavaClass type, ConditionEvents events) {
                String text = classFileText(type).toLowerCase(Locale.ROOT);
                if (text.contains("influx")) {
                  events.add(
                      SimpleConditionEvent.violated(
                          type, type.getName() + " names InfluxDB in its class file"));
                }
              }
            })
        .check(CORE);
  }

  private static String classFileText(JavaClass type) {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = CoreArchitectureTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no class file for " + type.getName());
      }
      // Latin-1 maps every byte to one character, so the constant pool's ASCII reads as it is.
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
