package dev.privacykit.audit;

import java.time.Instant;

/**
 * The largest checkpoint enough witnesses cosigned for it to count as published.
 *
 * @param size its tree size
 * @param at when the last of the quorum cosigned it
 */
public record PublishedCheckpoint(long size, Instant at) {}
