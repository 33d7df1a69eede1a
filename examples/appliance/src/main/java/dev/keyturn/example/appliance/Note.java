package dev.keyturn.example.appliance;

import java.time.Instant;

/** One note: the product's own data, which no license state ever touches. */
public record Note(long id, Instant createdAt, String text) {}
