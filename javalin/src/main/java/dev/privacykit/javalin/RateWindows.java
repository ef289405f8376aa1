package dev.privacykit.javalin;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed one-minute request windows per key, bounded in memory. When the table is full, windows of
 * past minutes are swept; if it is still full, new keys share one overflow window, so a flood of
 * new keys (spoofed addresses, fresh token subjects) is throttled together and can never reset the
 * windows of the keys already counted. Thread-safe.
 */
final class RateWindows {
  static final String OVERFLOW = "\u0000overflow";

  private final int capacity;
  private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

  RateWindows(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Counts a request for {@code key} and returns the seconds until its window ends when it is over
   * {@code perMinute}, or 0 when it may pass. A limit of 0 or less counts nothing.
   */
  long take(String key, int perMinute) {
    if (perMinute <= 0) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long minute = now / 60_000;
    long[] window = windows.get(key);
    if (window == null) {
      if (windows.size() >= capacity) {
        windows.values().removeIf(w -> w[0] != minute);
      }
      window =
          windows.size() >= capacity
              ? windows.computeIfAbsent(OVERFLOW, k -> new long[2])
              : windows.computeIfAbsent(key, k -> new long[2]);
    }
    long count;
    synchronized (window) {
      if (window[0] != minute) {
        window[0] = minute;
        window[1] = 0;
      }
      count = ++window[1];
    }
    return count > perMinute ? Math.max(1, 60 - (now / 1000) % 60) : 0;
  }

  int size() {
    return windows.size();
  }
}
