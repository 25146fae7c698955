package io.mcpsidecar.config;

/**
 * Calendar quotas.
 *
 * @param day calls per calendar day; 0: none
 * @param month calls per calendar month; 0: none
 * @param timeZone the zone whose midnight starts a window
 */
public record QuotaConfig(long day, long month, String timeZone) {}
