package dev.privacykit.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The service's log format ({@code log.format}): {@code text}, one escaped line per event as {@code
 * logback.xml} sets it, or {@code json}, one JSON object per line (time, level, thread, logger, the
 * formatted message, any exception) for log pipelines. Messages carry no personal data or secrets
 * in either format; the JSON form leaves out the raw arguments.
 */
public enum LogFormat {
  TEXT,
  JSON;

  /** Reads the setting's value; anything but text or json is refused naming the setting. */
  public static LogFormat of(String value) {
    return switch (value) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(Setting.LOG_FORMAT.label() + " must be text or json");
    };
  }

  /** Switches the console appenders of the running Logback to this format. */
  public void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }
}
