// Runs the Apollo Client and urql setups of docs/clients.md (apollo.mjs, urql.mjs) against a running
// Orderly: ORDERLY_URL (http://host:port/graphql), ORDERLY_STAFF_TOKEN and ORDERLY_CUSTOMER_TOKEN.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { gql } from "@apollo/client";
import { WebSocket } from "ws";
import { orderlyApolloClient } from "./apollo.mjs";
import { orderlyUrqlClient } from "./urql.mjs";

// Node 20 has no global WebSocket unless flagged; browsers and Node 22 do.
globalThis.WebSocket ??= WebSocket;

const url = process.env.ORDERLY_URL;
const staffToken = process.env.ORDERLY_STAFF_TOKEN;
const customerToken = process.env.ORDERLY_CUSTOMER_TOKEN;

// Every HTTP request the clients make: method, operation, whether it carried the text and a hash.
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  const method = init.method ?? "GET";
  const sent = method === "GET"
    ? Object.fromEntries(new URL(input).searchParams)
    : JSON.parse(init.body);
  const extensions = typeof sent.extensions === "string" ? JSON.parse(sent.extensions) : sent.extensions;
  requests.push({ method, operation: sent.operationName, text: Boolean(sent.query), hashed: Boolean(extensions?.persistedQuery) });
  return realFetch(input, init);
};
const requestsOf = (operation) => requests.filter((request) => request.operation === operation);

const apollo = orderlyApolloClient({ url, token: () => staffToken });
const customer = orderlyUrqlClient({ url, token: () => customerToken });
const anonymous = orderlyUrqlClient({ url, token: () => null });
after(() => [apollo, customer, anonymous].forEach(({ socket }) => socket.dispose()));

const CREATE_PRODUCT = gql`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { productId consistencyToken errors { code message } }
  }`;
const RESTOCK_PRODUCT = gql`
  mutation RestockProduct($input: RestockProductInput!) {
    restockProduct(input: $input) { product { id stock version } errors { code message } }
  }`;
const PRODUCT = gql`query Product($id: ID!) { product(id: $id) { id sku stock version } }`;
const PRODUCT_AFTER = gql`
  query ProductAfter($id: ID!, $token: String) @consistentWith(token: $token) {
    product(id: $id) { id sku stock version }
  }`;
const PRODUCT_CHANGES = gql`
  subscription ProductChanges($after: String) {
    changes(types: [PRODUCT], after: $after) { cursor operation product { id stock version } }
  }`;
const ORDERS = `query Orders { orders(first: 1) { totalCount } }`;

async function createProduct(initialStock) {
  const sku = `C-${crypto.randomUUID()}`.toUpperCase();
  const { data } = await apollo.client.mutate({
    mutation: CREATE_PRODUCT,
    variables: { input: { sku, name: "Client setups", price: "9.50", initialStock } },
  });
  assert.deepEqual(data.createProduct.errors, []);
  return data.createProduct;
}

async function restock(id, quantity) {
  const { data } = await apollo.client.mutate({ mutation: RESTOCK_PRODUCT, variables: { input: { id, quantity } } });
  assert.deepEqual(data.restockProduct.errors, []);
}

// What a subscription delivers; until(wanted) waits at most 10 s for a value that wanted accepts.
function collect(source) {
  const values = [];
  let check = () => {};
  const subscription = source.subscribe((value) => { values.push(value); check(); });
  return {
    until: (wanted) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`none wanted in ${JSON.stringify(values)}`)), 10_000);
      check = () => {
        const failed = values.find((value) => value.error);
        const found = values.find((value) => !value.error && wanted(value.data));
        if (failed || found) clearTimeout(timer);
        if (failed) reject(failed.error);
        else if (found) resolve(found.data);
      };
      check();
    }),
    close: () => subscription.unsubscribe(),
  };
}

test("docs/clients.md shows the setups this script runs, verbatim", () => {
  const doc = readFileSync(new URL("../../../../docs/clients.md", import.meta.url), "utf8");
  for (const setup of ["apollo.mjs", "urql.mjs"]) {
    assert.ok(doc.includes(readFileSync(new URL(setup, import.meta.url), "utf8")), `${setup} is not in docs/clients.md`);
  }
});

test("Apollo: a mutation, a persisted query, and a subscription from the query's feed cursor", async () => {
  const { productId: id } = await createProduct(10);

  // Read-your-writes: the staff member's query sees the product it just created, no token passed.
  const { data } = await apollo.client.query({ query: PRODUCT, variables: { id } });
  assert.equal(data.product.stock, 10);
  const cursor = apollo.feedCursors.get("Product");
  assert.equal(typeof cursor, "string");

  // APQ: a document the server has never seen goes as a hash by GET, then with its text when the
  // server answers PERSISTED_QUERY_NOT_FOUND; from then on the hash alone is enough.
  const fresh = gql(`query Fresh { products(first: 1) { totalCount } run_${crypto.randomUUID().replaceAll("-", "_")}: __typename }`);
  await apollo.client.query({ query: fresh });
  await apollo.client.query({ query: fresh, fetchPolicy: "network-only" });
  assert.deepEqual(requestsOf("Fresh").map(({ method, text, hashed }) => ({ method, text, hashed })), [
    { method: "GET", text: false, hashed: true },
    { method: "POST", text: true, hashed: true },
    { method: "GET", text: false, hashed: true },
  ]);

  // A change made between the query and the subscription still arrives: it follows the cursor.
  await restock(id, 5);
  const events = collect(apollo.client.subscribe({ query: PRODUCT_CHANGES, variables: { after: cursor } }));
  try {
    const replayed = await events.until(({ changes }) => changes.product?.id === id && changes.product.stock === 15);
    assert.equal(replayed.changes.operation, "UPDATED");
    await restock(id, 7);
    await events.until(({ changes }) => changes.product?.id === id && changes.product.stock === 22);

    // Events are keyed by their cursor; the delivered product is normalised over the queried one.
    assert.ok(apollo.client.cache.extract()[`ChangeEvent:{"cursor":"${replayed.changes.cursor}"}`]);
    assert.equal(apollo.client.readQuery({ query: PRODUCT, variables: { id } }).product.stock, 22);
  }
  finally {
    events.close();
  }
});

test("urql: queries by GET with the token, a coded error, and a subscription from a feed cursor", async () => {
  const refused = await anonymous.client.query(ORDERS, {}).toPromise();
  assert.equal(refused.error.graphQLErrors[0].extensions.code, "UNAUTHENTICATED");
  const own = await customer.client.query(ORDERS, {}).toPromise();
  assert.equal(own.error, undefined);
  assert.equal(own.data.orders.totalCount, 0);
  assert.deepEqual([...new Set(requestsOf("Orders").map(({ method }) => method))], ["GET"]);

  // Someone else's write: the customer's query waits for it with the staff member's token.
  const { productId: id, consistencyToken } = await createProduct(3);
  const product = await customer.client.query(PRODUCT_AFTER, { id, token: consistencyToken }).toPromise();
  assert.equal(product.data.product.stock, 3);
  const cursor = product.extensions.feedCursor;
  assert.equal(typeof cursor, "string");

  await restock(id, 4);
  const events = collect(customer.client.subscription(PRODUCT_CHANGES, { after: cursor }));
  try {
    await events.until(({ changes }) => changes.product?.id === id && changes.product.stock === 7);
  }
  finally {
    events.close();
  }
});
