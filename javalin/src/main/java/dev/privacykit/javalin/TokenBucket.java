package dev.privacykit.javalin;

/** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. Thread-safe. */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long last = System.nanoTime();

  TokenBucket(double capacity, double perSecond) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
  }

  /** Takes one token if there is one. */
  synchronized boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
