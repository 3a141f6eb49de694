package com.suse.telemetry.client;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool in a directory: an append-only log of segment files in the {@link SpoolFrames} format.
 * Frames are only ever appended, each run of the publisher to a segment of its own, and a segment
 * is deleted once it, and every one before it, holds no kept envelope.
 *
 * <p>The files take at most the size bound: to make room, the oldest segment's envelopes are
 * dropped (and counted). A file lock keeps a second publisher, in this process or another, out of
 * the directory.
 */
final class DiskSpool implements Spool {

  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);

  private static final byte[] MAGIC = SpoolFrames.MAGIC;
  private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.spool");
  private static final long MAX_SEGMENT_BYTES = 1 << 20;

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final long maxBytes;
  private final long segmentBytes;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  // Insertion order is age order: recovery reads the log from its start.
  private final LinkedHashMap<UUID, Entry> entries = new LinkedHashMap<>();
  private Segment active;
  private boolean activeDamaged;
  private long bytes;
  private long dropped;
  private boolean closed;

  /** One segment file. Only the active one has a channel open for writing. */
  private static final class Segment {
    final long number;
    final Path path;
    long size;
    int kept;
    FileChannel writer;

    Segment(long number, Path path, long size) {
      this.number = number;
      this.path = path;
      this.size = size;
    }
  }

  /** Where a kept envelope's gzipped bytes are. */
  private record Entry(long segment, long offset, int length) {}

  private DiskSpool(Path directory, FileChannel lockChannel, FileLock lock, long maxBytes) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(MAGIC.length + 1, Math.min(maxBytes / 16, MAX_SEGMENT_BYTES));
  }

  /**
   * Opens the spool in {@code directory} (created if missing), reading what an earlier publisher
   * left there.
   *
   * @throws TelemetryException if another publisher holds the directory
   * @throws IOException if the directory cannot be read or written
   */
  static DiskSpool open(Path directory, long maxBytes) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockChannel =
        FileChannel.open(
            directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // Held by another publisher in this process.
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new TelemetryException(
          "spool directory " + directory + " is in use by another publisher");
    }
    DiskSpool spool = new DiskSpool(directory, lockChannel, lock, maxBytes);
    try {
      spool.recover();
      spool.reclaim();
      spool.startSegment();
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  @Override
  public synchronized boolean add(UUID id, byte[] body) throws IOException {
    requireOpen();
    if (entries.containsKey(id)) {
      return true;
    }
    long frameSize = SpoolFrames.envelopeSize(body.length);
    if (MAGIC.length + frameSize > maxBytes) {
      dropped++;
      LOG.warn(
          "envelope {} ({} bytes) is larger than the whole spool ({} bytes); it is not spooled",
          id,
          frameSize,
          maxBytes);
      return false;
    }
    if (activeDamaged || active.size >= segmentBytes) {
      startSegment();
    }
    while (bytes + frameSize > maxBytes) {
      long before = bytes;
      dropOldestSegment();
      if (bytes >= before) {
        throw new IOException("cannot make room in spool directory " + directory);
      }
    }
    ByteBuffer frame = SpoolFrames.envelope(id, body);
    long offset = active.size;
    try {
      write(frame, offset);
      active.writer.force(false);
    } catch (IOException e) {
      // A half-written frame would hide every later one from recovery: cut it off, or else
      // write later frames to a new segment.
      try {
        active.writer.truncate(offset);
      } catch (IOException suppressed) {
        activeDamaged = true;
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    active.size += frameSize;
    active.kept++;
    bytes += frameSize;
    entries.put(id, new Entry(active.number, SpoolFrames.bodyOffset(offset), body.length));
    return true;
  }

  @Override
  public synchronized void remove(UUID id) {
    if (closed) {
      return;
    }
    Entry entry = entries.remove(id);
    if (entry == null) {
      return;
    }
    segments.get(entry.segment()).kept--;
    // Not forced: a removal lost to a crash only sends again an envelope the collector already
    // has, which it answers as duplicates. The next envelope's force writes it anyway.
    if (!activeDamaged) {
      ByteBuffer frame = SpoolFrames.removal(id);
      try {
        write(frame, active.size);
        active.size += frame.capacity();
        bytes += frame.capacity();
      } catch (IOException e) {
        activeDamaged = true;
        LOG.warn("cannot record in the spool that envelope {} is done: {}", id, e.toString());
      }
    }
    reclaim();
  }

  @Override
  public synchronized boolean contains(UUID id) {
    return entries.containsKey(id);
  }

  @Override
  public synchronized List<UUID> ids() {
    return List.copyOf(entries.keySet());
  }

  @Override
  public synchronized Optional<byte[]> read(UUID id) throws IOException {
    requireOpen();
    Entry entry = entries.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    ByteBuffer body = ByteBuffer.allocate(entry.length());
    try (FileChannel channel = FileChannel.open(segments.get(entry.segment()).path)) {
      while (body.hasRemaining()) {
        if (channel.read(body, entry.offset() + body.position()) < 0) {
          throw new IOException("spool file ended before envelope " + id);
        }
      }
    }
    return Optional.of(body.array());
  }

  @Override
  public synchronized SpoolStatus status() {
    return new SpoolStatus(entries.size(), bytes, dropped);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (active != null && active.writer != null) {
        active.writer.close();
      }
    } catch (IOException e) {
      LOG.warn("cannot close spool file {}: {}", active.path, e.toString());
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the lock of spool directory {}: {}", directory, e.toString());
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the spool is closed");
    }
  }

  /** Reads every segment up to its last whole frame. */
  private void recover() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "segment-*.spool")) {
      listing.forEach(files::add);
    }
    for (Path file : files) {
      Matcher name = SEGMENT_NAME.matcher(file.getFileName().toString());
      if (name.matches()) {
        long number = Long.parseLong(name.group(1));
        segments.put(number, new Segment(number, file, Files.size(file)));
      }
    }
    for (Segment segment : segments.values()) {
      byte[] data = Files.readAllBytes(segment.path);
      segment.size = data.length;
      bytes += data.length;
      int end = readFrames(segment, data);
      if (end < data.length) {
        LOG.warn(
            "spool file {}: the last {} bytes are not a whole envelope (a write cut off by a"
                + " crash?); read up to byte {}",
            segment.path,
            data.length - end,
            end);
      }
    }
    if (!entries.isEmpty()) {
      LOG.info("spool {} holds {} envelopes not yet acknowledged", directory, entries.size());
    }
  }

  /** Applies the whole frames of {@code data}; returns where they end. */
  private int readFrames(Segment segment, byte[] data) {
    return SpoolFrames.read(
        data,
        frame -> {
          if (frame.envelope()) {
            if (!entries.containsKey(frame.id())) {
              entries.put(
                  frame.id(), new Entry(segment.number, frame.bodyOffset(), frame.bodyLength()));
              segment.kept++;
            }
          } else {
            Entry removed = entries.remove(frame.id());
            if (removed != null) {
              segments.get(removed.segment()).kept--;
            }
          }
        });
  }

  private void startSegment() throws IOException {
    if (active != null && active.writer != null) {
      active.writer.close();
      active.writer = null;
    }
    long number = segments.isEmpty() ? 1 : segments.lastKey() + 1;
    Path path = directory.resolve(String.format("segment-%020d.spool", number));
    Segment segment = new Segment(number, path, MAGIC.length);
    segment.writer =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segments.put(number, segment);
    active = segment;
    activeDamaged = false;
    bytes += MAGIC.length;
    write(ByteBuffer.wrap(MAGIC), 0);
    segment.writer.force(false);
    forceDirectory();
  }

  /** Drops every envelope of the oldest segment, to make room; the segment then goes. */
  private void dropOldestSegment() {
    Segment oldest = segments.firstEntry().getValue();
    int count = 0;
    for (var entry = entries.entrySet().iterator(); entry.hasNext(); ) {
      Map.Entry<UUID, Entry> next = entry.next();
      if (next.getValue().segment() == oldest.number) {
        LOG.warn(
            "spool full ({} bytes): dropping envelope {}, one of the oldest",
            maxBytes,
            next.getKey());
        entry.remove();
        count++;
      }
    }
    oldest.kept = 0;
    dropped += count;
    reclaim();
  }

  /**
   * Deletes segments from the oldest while they keep no envelope. Only from the oldest: a newer
   * segment may hold the removal of an envelope in an older one, which must not come back.
   */
  private void reclaim() {
    while (!segments.isEmpty()) {
      Segment oldest = segments.firstEntry().getValue();
      if (oldest.kept > 0) {
        return;
      }
      if (oldest == active) {
        // The only segment left: no older one needs its removals, so all of it can go.
        if (active.size > MAGIC.length) {
          try {
            active.writer.truncate(MAGIC.length);
            bytes -= active.size - MAGIC.length;
            active.size = MAGIC.length;
            activeDamaged = false;
          } catch (IOException e) {
            LOG.warn("cannot empty spool file {}: {}", active.path, e.toString());
          }
        }
        return;
      }
      try {
        Files.deleteIfExists(oldest.path);
      } catch (IOException e) {
        LOG.warn("cannot delete spool file {}: {}", oldest.path, e.toString());
        return;
      }
      segments.pollFirstEntry();
      bytes -= oldest.size;
    }
  }

  private void write(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += active.writer.write(buffer, at);
    }
  }

  /** Makes a new file's name survive a crash, where the platform allows it. */
  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; their file systems make the entry durable anyway
      // or not at all.
      LOG.debug("cannot force spool directory {}: {}", directory, e.toString());
    }
  }
}
