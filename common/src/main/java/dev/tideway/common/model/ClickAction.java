package dev.tideway.common.model;

/** What a user did on a page; the steps of the purchase funnel, in funnel order. */
public enum ClickAction {
    VIEW,
    ADD_TO_CART,
    CHECKOUT,
    PURCHASE
}
