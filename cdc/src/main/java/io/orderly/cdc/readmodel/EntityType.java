package io.orderly.cdc.readmodel;

/** The kinds of documents the change feed reports. */
public enum EntityType {
    CUSTOMER,
    PRODUCT,
    ORDER
}
