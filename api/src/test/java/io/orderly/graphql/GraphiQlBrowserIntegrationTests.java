package io.orderly.graphql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GraphiQL in a real headless Chromium: the page loads with every asset from this server under its
 * Content-Security-Policy, runs a query as the signed-in caller and shows its result. Name resolution for any host but localhost is switched off in the
 * browser, so a request leaving the machine would fail the page.
 */
class GraphiQlBrowserIntegrationTests extends IntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path profile;

    @Test
    void runsAQueryAndShowsTheResultWithoutLeavingTheMachine() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        Registered customer = Customers.register(graphQl, Customers.uniqueEmail(), "Grace Browser");
        String query = "{ customer(id: \"" + customer.id() + "\") { name email } projection { state } }";

        WebDriver browser = chromium();
        try {
            openWith(browser, query);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-execute-button"))).click();
            wait.until(driver -> result(driver).contains("Grace Browser"));

            assertThat(result(browser)).contains(customer.email(), "STREAMING");
            @SuppressWarnings("unchecked")
            List<String> loaded = (List<String>) ((JavascriptExecutor) browser)
                    .executeScript("return performance.getEntriesByType('resource').map(entry => entry.name)");
            assertThat(loaded).isNotEmpty()
                    .anySatisfy(url -> assertThat(url).contains("/webjars/graphiql/"))
                    .allSatisfy(url -> assertThat(url).startsWith("http://localhost:" + port + "/"));
        }
        finally {
            browser.quit();
        }
    }

    @Test
    void receivesSubscriptionEventsOverTheWebSocket() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        String subscription = "subscription { changes(types: [CUSTOMER]) { operation customer { name } } }";

        WebDriver browser = chromium();
        try {
            openWith(browser, subscription);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-execute-button"))).click();
            // Keep writing until the subscription, which starts asynchronously, has delivered one of them.
            wait.until(driver -> {
                Customers.register(graphQl, Customers.uniqueEmail(), "Live Subscriber");
                return result(driver).contains("Live Subscriber");
            });

            assertThat(result(browser)).contains("CREATED");
        }
        finally {
            browser.quit();
        }
    }

    /**
     * The whole text of GraphiQL's result pane, from its editor: the page shows only the lines that
     * fit, and right after the page's layout that can be the first line alone.
     */
    private static String result(WebDriver browser) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const editor = document.querySelector('.result-window .CodeMirror');"
                + "return editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';");
        return String.valueOf(text);
    }

    /**
     * Opens GraphiQL signed in as staff (as the page's token box would: the page then sends the token
     * over HTTP and graphql-ws) with this operation in the editor, as GraphiQL keeps it between visits.
     */
    private void openWith(WebDriver browser, String operation) {
        // Storage is set from a page of the same origin that does not run GraphiQL: set under a
        // running GraphiQL, it could be overwritten by the editor's own (delayed) save of its query.
        browser.get("http://localhost:" + port + "/actuator/health");
        ((JavascriptExecutor) browser).executeScript("localStorage.clear();"
                + "localStorage.setItem('orderly.token', arguments[0]);"
                + "localStorage.setItem('graphiql:query', arguments[1]);", STAFF_TOKEN, operation);
        browser.get("http://localhost:" + port + "/graphiql");
    }

    @Test
    void neverTakesAnOperationFromTheUrl() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        String mutation = "mutation { createProduct(input: {sku: \"X\", name: \"X\", price: \"1\", initialStock: 1}) { productId } }";

        WebDriver browser = chromium();
        try {
            browser.get("http://localhost:" + port + "/graphiql?query=" + URLEncoder.encode(mutation, StandardCharsets.UTF_8));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-execute-button")));

            assertThat(browser.findElement(By.cssSelector(".graphiql-query-editor")).getText())
                    .doesNotContain("createProduct").contains("Overview");
        }
        finally {
            browser.quit();
        }
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
