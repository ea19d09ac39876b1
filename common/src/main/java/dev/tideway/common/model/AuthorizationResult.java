package dev.tideway.common.model;

/** Outcome of a card authorization, as the issuer reported it. Wire names are lower case. */
public enum AuthorizationResult {
    APPROVED,
    DECLINED
}
