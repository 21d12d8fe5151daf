//! The website: `inforce serve` (the main job) and `inforce export-site` (the same pages as static files).

use std::time::Duration;

use inforce_web::{ServeError, SiteOptions};

use crate::cli::{ExportSiteArgs, Format, ServeArgs};
use crate::env::Env;
use crate::failure::Failure;

/// `inforce serve`: serves until SIGTERM or Ctrl-C.
pub async fn serve(env: &Env, args: ServeArgs) -> Result<(), Failure> {
    inforce_web::log::set_format(args.log_format);
    let public_url = args
        .public_url
        .as_deref()
        .map(inforce_web::public_url)
        .transpose()
        .map_err(|e| Failure::Usage(format!("--public-url: {e}")))?;
    let signing_key = args.signing_key.as_deref().map(super::log::read_signing_key).transpose()?;
    let store = env.store().await?.clone();
    let options = SiteOptions {
        default_code: env.code.clone(),
        today: env.fixed_today(),
        poll: poll_interval()?,
        access_log: args.access_log,
        public_url,
        limits: args.limits(),
        signing_key,
        static_copy: false,
        trusted_proxies: args.trusted_proxies()?,
    };
    let served = inforce_web::serve(store, args.addr, options, |bound| {
        println!("inforce is serving on http://{bound}/ (Ctrl-C to stop)");
    })
    .await;
    served.map_err(|e| match e {
        ServeError::Load(e) => e.into(),
        ServeError::Bind { .. } | ServeError::Serve(_) => Failure::Environment(e.to_string()),
    })
}

/// How often `serve` looks for publications made elsewhere: `INFORCE_POLL_MS` (milliseconds, default 1000).
/// PostgreSQL announces publications at once; polling is the fallback, and the only way with SQLite.
fn poll_interval() -> Result<Duration, Failure> {
    match std::env::var("INFORCE_POLL_MS") {
        Err(_) => Ok(Duration::from_secs(1)),
        Ok(text) => {
            text.parse::<u64>().ok().filter(|ms| *ms > 0).map(Duration::from_millis).ok_or_else(|| {
                Failure::Usage(format!("INFORCE_POLL_MS='{text}' is not a whole number of milliseconds"))
            })
        }
    }
}

/// `inforce export-site OUTDIR`: the site as static files, rendered by the same routes `serve` runs.
pub async fn export_site(env: &Env, args: &ExportSiteArgs) -> Result<(), Failure> {
    let today = env.today().await?;
    let outdir = args.outdir.as_path();
    let public_url = match &args.public_url {
        Some(url) => Some(inforce_web::public_url(url).map_err(|e| Failure::Usage(format!("--public-url: {e}")))?),
        None => {
            eprintln!("warning: no --public-url: feed links are relative to the site's root");
            None
        }
    };
    let options = SiteOptions {
        default_code: env.code.clone(),
        today: env.fixed_today(),
        poll: Duration::from_secs(1),
        access_log: false,
        public_url,
        limits: inforce_web::Limits::default(),
        signing_key: None,
        static_copy: true,
        trusted_proxies: inforce_web::client::TrustedProxies::default(),
    };
    let site = inforce_web::Site::load(env.store().await?.clone(), options).await?;
    let spinner = (env.out.format == Format::Text && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("exporting {pos} files {spinner}") {
            bar.set_style(style);
        }
        bar
    });
    let summary = inforce_web::export::export_site(site, outdir, |count| {
        if let Some(bar) = &spinner {
            bar.set_position(count as u64);
        }
    })
    .await
    .map_err(|e| match Failure::from(e) {
        Failure::Usage(message) => Failure::Usage(format!("export-site: {message}")),
        Failure::NotFound(message) => Failure::NotFound(format!("export-site: {message}")),
        Failure::Environment(message) => Failure::Environment(format!("export-site: {message}")),
        Failure::Damaged(message) => Failure::Damaged(format!("export-site: {message}")),
    })?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let json = inforce_present::wire::SiteWrittenJson::new(
        &outdir.display().to_string(),
        summary.pages,
        summary.documents,
        summary.bytes,
        today,
    );
    env.out.print(&json, || {
        format!(
            "wrote {} pages and {} documents ({} bytes) to {}, as of {}\n",
            summary.pages,
            summary.documents,
            summary.bytes,
            outdir.display(),
            inforce_core::date::human_date(today)
        )
    })
}
