//! The UI in a real browser (headless Chromium): sign in, create a partner, add a contact, log
//! a call with the keyboard, see it on the timeline without a reload (hydration works), reload
//! and still see it, switch to 中文; then every page and the API docs under their
//! Content-Security-Policy without a violation.

use std::time::Duration;

use fantoccini::{Client, Locator, key::Key};
use liaison_tests::browser::{Browser, wait_for};
use liaison_tests::spawn_app;
use shared::auth::Role;

const WAIT: Duration = Duration::from_secs(20);

async fn text_of(client: &Client, css: &str) -> Option<String> {
    client.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

async fn wait_text(client: &Client, css: &str, needle: &str) -> anyhow::Result<String> {
    wait_for(&format!("{css} to contain {needle:?}"), WAIT, || async {
        text_of(client, css).await.filter(|t| t.contains(needle))
    })
    .await
}

async fn wait_hydrated(client: &Client, page: &str) -> anyhow::Result<()> {
    wait_for(&format!("{page} to hydrate"), WAIT, || async {
        let hydrated = client
            .execute("return document.body.dataset.hydrated || null", vec![])
            .await
            .ok()?;
        (hydrated.as_str() == Some("true")).then_some(())
    })
    .await
}

async fn wait_url(
    client: &Client,
    what: &str,
    test: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    wait_for(what, WAIT, || async {
        let url = client.current_url().await.ok()?.to_string();
        test(&url).then_some(url)
    })
    .await
}

async fn fill(client: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let field = client.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn journey(client: &Client, base: &str, email: &str, password: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/partners")).await?;
    wait_url(client, "the redirect to /login", |u| u.ends_with("/login")).await?;
    wait_hydrated(client, "the sign-in page").await?;

    // Sign in.
    fill(client, "input[name=email]", email).await?;
    fill(client, "input[name=password]", password).await?;
    client
        .find(Locator::Css("form button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_url(client, "the partner list", |u| u.ends_with("/partners")).await?;
    wait_hydrated(client, "the partner list").await?;

    // Create a partner.
    client
        .find(Locator::Css("#new-partner"))
        .await?
        .click()
        .await?;
    wait_url(client, "the new-partner form", |u| {
        u.ends_with("/partners/new")
    })
    .await?;
    let name = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#partner-form input[name=name]"))
        .await?;
    // An empty name is refused beside the field, in the browser.
    client
        .find(Locator::Css("#partner-form button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_text(
        client,
        "#partner-form .field-error[data-field=name]",
        "required",
    )
    .await?;
    name.send_keys("Evergreen Home Goods").await?;
    fill(client, "#partner-form input[name=name_zh]", "常青家居").await?;
    client
        .find(Locator::Css("#partner-form button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_url(client, "the partner page", |u| {
        u.contains("/partners/") && !u.ends_with("/new")
    })
    .await?;
    wait_text(client, "#partner-name", "Evergreen Home Goods").await?;

    // Add a contact.
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#add-contact"))
        .await?
        .click()
        .await?;
    let full_name = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".contact-form input[name=full_name]"))
        .await?;
    full_name.send_keys("Chen Jing").await?;
    fill(
        client,
        ".contact-form input[name=email]",
        "chen.jing@example.com",
    )
    .await?;
    client
        .find(Locator::Css(".contact-form button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_text(client, "#contact-list", "Chen Jing").await?;

    // Log a call from the keyboard: L focuses the box, Ctrl+Enter saves.
    client.execute("window.__liaisonMarker = 'still here'; document.activeElement && document.activeElement.blur();", vec![]).await?;
    client
        .find(Locator::Css("body"))
        .await?
        .send_keys("l")
        .await?;
    wait_for("L to focus the log box", WAIT, || async {
        let id = client
            .execute(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await
            .ok()?;
        (id.as_str() == Some("log-summary")).then_some(())
    })
    .await?;
    let summary = client.find(Locator::Css("#log-summary")).await?;
    summary
        .send_keys("Called about sponsoring the green-building dinner")
        .await?;
    summary
        .send_keys(&format!(
            "{}{}",
            char::from(Key::Control),
            char::from(Key::Enter)
        ))
        .await?;
    wait_text(
        client,
        "#timeline",
        "Called about sponsoring the green-building dinner",
    )
    .await?;
    let marker = client
        .execute("return window.__liaisonMarker || null", vec![])
        .await?;
    anyhow::ensure!(
        marker.as_str() == Some("still here"),
        "the page reloaded: it must update in place"
    );

    // Reload: it is stored.
    client.refresh().await?;
    wait_text(
        client,
        "#timeline",
        "Called about sponsoring the green-building dinner",
    )
    .await?;
    wait_hydrated(client, "the reloaded partner page").await?;

    // Switch to Chinese: the page is translated in place and the choice is kept.
    client
        .find(Locator::Css("#language-switch"))
        .await?
        .click()
        .await?;
    wait_text(client, ".log-column h2", "往来记录").await?;
    wait_text(client, "#log-box", "记录联系").await?;
    let lang = client
        .execute("return document.documentElement.lang", vec![])
        .await?;
    assert_eq!(lang, "zh-CN", "the document's language follows the switch");
    client.refresh().await?;
    wait_text(client, ".topbar nav", "合作伙伴").await?;
    let lang = client
        .execute("return document.documentElement.lang", vec![])
        .await?;
    assert_eq!(
        lang, "zh-CN",
        "and is rendered so by the server after a reload"
    );
    Ok(())
}

/// W4: every page (and the API docs) loads and hydrates under its Content-Security-Policy with
/// no violation in the browser's console, which is where Chromium reports each one.
async fn pages_run_under_their_policy(browser: &Browser, base: &str) -> anyhow::Result<()> {
    let client = &browser.client;
    for page in [
        "/partners",
        "/partners/new",
        "/next-steps",
        "/next-steps?who=all",
    ] {
        client.goto(&format!("{base}{page}")).await?;
        wait_hydrated(client, page).await?;
    }
    wait_text(client, ".bucket.due-none", "undated step").await?;
    client.goto(&format!("{base}/api/v1/docs/")).await?;
    wait_for("the API docs to render", WAIT, || async {
        client
            .find(Locator::Css(".swagger-ui .info"))
            .await
            .ok()
            .map(|_| ())
    })
    .await?;
    let console = browser.console().await;
    anyhow::ensure!(
        !console.contains("Content Security Policy"),
        "a policy violation was reported:\n{console}"
    );
    Ok(())
}

#[tokio::test]
async fn a_manager_signs_in_adds_a_partner_and_logs_a_call_in_the_browser() {
    assert!(
        liaison::ssr::has_browser_bundle(),
        "the server was built without the browser bundle: run the tests with `cargo xtask test`"
    );
    let app = spawn_app().await;
    let user = app.add_user(Role::Manager).await;
    // Next steps in every bucket, so /next-steps hydrates with cards on it.
    let api = app.client();
    assert_eq!(api.login(&user.email, &user.password).await.status, 200);
    let steps = api.partner("Steps Holdings").create().await;
    for (step, due) in [
        ("overdue step", Some(-3)),
        ("today's step", Some(0)),
        ("later step", Some(20)),
        ("undated step", None),
    ] {
        let mut input = liaison_tests::fixtures::call("planning");
        input.next_step = Some(step.into());
        input.next_step_due = due.map(|days| {
            (chrono::Utc::now() + chrono::Duration::days(days))
                .date_naive()
                .to_string()
        });
        api.log_activity(steps.id(), &input).await.unwrap();
    }
    let browser = Browser::start().await.expect("starting headless Chromium");
    let mut outcome = journey(&browser.client, &app.address, &user.email, &user.password).await;
    if outcome.is_ok() {
        outcome = pages_run_under_their_policy(&browser, &app.address).await;
    }
    if outcome.is_err() {
        eprintln!("browser console:\n{}", browser.console().await);
        let _ = browser.client.screenshot().await.map(|png| {
            std::fs::write(
                std::env::temp_dir().join("liaison-browser-failure.png"),
                png,
            )
        });
    }
    browser.close().await;
    outcome.unwrap();
}
