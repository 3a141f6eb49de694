import com.suse.telemetry.client.PublishResult;
import com.suse.telemetry.client.TelemetryPublisher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

public class PublishProfiles {
  public static void main(String[] args) throws Exception {
    try (TelemetryPublisher publisher = TelemetryPublisher.builder(URI.create(args[0]))
        .spoolDirectory(Path.of(args[1]))
        .build()) {
      for (int i = 2; i < args.length; i++) {
        String payload = Files.readString(Path.of(args[i]));
        PublishResult result = publisher.publish("sles", "system_profile", 1, payload);
        System.out.println(args[i] + ": " + result.outcome() + ", " + result.detail()
            + (result.attempts() > 1 ? " after " + result.attempts() + " attempts" : ""));
        result.violations().forEach(v -> System.out.println("  " + v.pointer() + ": " + v.message()));
      }
    }
  }
}
