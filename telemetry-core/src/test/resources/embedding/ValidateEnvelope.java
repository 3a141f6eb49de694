import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;

public class ValidateEnvelope {
  public static void main(String[] args) throws Exception {
    TelemetryValidator validator = TelemetryValidator.create(TelemetryTypeRegistry.bundled());
    for (String file : args) {
      ValidationResult result = validator.validate(Files.readAllBytes(Path.of(file)));
      System.out.println(file + ": " + (result.isValid()
          ? "valid, " + result.submission().records().size() + " records" : "invalid"));
      result.violations().forEach(v -> System.out.println("  " + v.pointer() + ": " + v.message()));
    }
  }
}
