//go:build unix

// Package browser starts headless Chromium and Firefox ESR for the tests, with no WebDriver: a
// browser is opened on a page URL with a fresh profile, in a process group of its own, fenced
// off from every network but loopback, and stopped with all its children.
package browser

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Browser is one browser the tests run.
type Browser struct {
	// Name is "chromium" or "firefox".
	Name string
	// EnvVar names the environment variable that overrides the binary.
	EnvVar string
	// Paths are the binaries tried first, then names looked up in $PATH.
	Paths []string
	// AcceptsAnyCertificate says that the browser accepts any TLS certificate (the tests'
	// HTTPS origin has the test server's own).
	AcceptsAnyCertificate bool
	command               func(bin, profile, pageURL string) (*exec.Cmd, error)
}

// Chromium is Debian's chromium, headless.
var Chromium = &Browser{
	Name:                  "chromium",
	EnvVar:                "CHROMIUM",
	Paths:                 []string{"/usr/bin/chromium", "chromium", "chromium-browser"},
	AcceptsAnyCertificate: true,
	command: func(bin, profile, pageURL string) (*exec.Cmd, error) {
		args := []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + profile,
			"--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
			"--disable-breakpad", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
			"--metrics-recording-only", "--no-pings", "--password-store=basic",
			"--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
			// Keep timers and the renderer at full speed.
			"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
			"--disable-backgrounding-occluded-windows",
			// window.gc(), for the garbage-collection scenario.
			"--js-flags=--expose-gc",
			// Fence: any host name other than 127.0.0.1 fails to resolve,
			// and anything not on loopback goes to a dead proxy.
			"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
			"--proxy-server=http://127.0.0.1:9",
			// The HTTP/2 origin of the tests has the test server's own certificate.
			"--ignore-certificate-errors",
			pageURL,
		}
		return exec.Command(bin, args...), nil
	},
}

// Firefox is Debian's firefox-esr, headless.
var Firefox = &Browser{
	Name:   "firefox",
	EnvVar: "FIREFOX",
	Paths:  []string{"/usr/bin/firefox-esr", "firefox-esr", "firefox"},
	command: func(bin, profile, pageURL string) (*exec.Cmd, error) {
		if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command(bin, "--headless", "--no-remote", "--profile", profile, pageURL)
		cmd.Env = append(os.Environ(),
			"MOZ_HEADLESS=1",
			"MOZ_CRASHREPORTER_DISABLE=1",
			"MOZ_DISABLE_AUTO_SAFE_MODE=1",
		)
		return cmd, nil
	},
}

// All lists the browsers the tests run.
var All = []*Browser{Chromium, Firefox}

// Find returns the browser's binary, or "".
func (b *Browser) Find() string {
	if v := os.Getenv(b.EnvVar); v != "" {
		return v
	}
	for _, p := range b.Paths {
		if strings.Contains(p, "/") {
			if _, err := os.Stat(p); err == nil {
				return p
			}
			continue
		}
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	return ""
}

// Process is a running browser.
type Process struct {
	cmd    *exec.Cmd
	exited chan error
	output lockedBuffer
	once   sync.Once
	stop   error
}

// Start opens the browser binary bin on pageURL, with a fresh profile and $TMPDIR under dir
// (Chromium leaves its singleton socket directory there), in a process group of its own.
func (b *Browser) Start(bin, dir, pageURL string) (*Process, error) {
	return b.start(bin, dir, pageURL, nil, nil)
}

// start is Start with more arguments before the page URL, and files the browser gets from fd 3
// on.
func (b *Browser) start(bin, dir, pageURL string, more []string, files []*os.File) (*Process, error) {
	profile := filepath.Join(dir, "profile")
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{profile, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	cmd, err := b.command(bin, profile, pageURL)
	if err != nil {
		return nil, err
	}
	if len(more) > 0 {
		last := len(cmd.Args) - 1 // the page URL
		cmd.Args = append(append(cmd.Args[:last:last], more...), cmd.Args[last])
	}
	cmd.ExtraFiles = files
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	p := &Process{cmd: cmd, exited: make(chan error, 1)}
	cmd.Stdout = &p.output
	cmd.Stderr = &p.output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() { p.exited <- cmd.Wait() }()
	return p, nil
}

// Pid returns the browser's process ID.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited receives the browser's exit status if it ends by itself.
func (p *Process) Exited() <-chan error { return p.exited }

// Output returns what the browser printed (its first MiB).
func (p *Process) Output() string { return p.output.String() }

// Stop ends the browser and every process it started: SIGTERM to the group, then SIGKILL. It
// returns an error if the browser did not exit even then.
func (p *Process) Stop() error {
	p.once.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			select {
			case <-p.exited:
			case <-time.After(5 * time.Second):
				p.stop = errors.New("browser process " + fmt.Sprint(pgid) + " did not exit after SIGKILL")
			}
		}
		// Children that outlived the leader are in the same group.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	})
	return p.stop
}

// lockedBuffer is a bytes.Buffer safe for the process's two output pipes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		return len(p), nil // enough
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// firefoxPrefs is the user.js of every fresh Firefox profile: no first-run
// pages, telemetry, updates, studies, safe browsing, captive portal or
// connectivity checks, prefetching or DNS-over-HTTPS; every request that is
// not to loopback goes to a dead proxy; timers are not throttled.
const firefoxPrefs = `
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage", "about:blank");
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.firstrunSkipsHomepage", true);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("trailhead.firstrun.didSeeAboutWelcome", true);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("browser.newtabpage.activity-stream.feeds.section.topstories", false);
user_pref("browser.topsites.contile.enabled", false);
user_pref("browser.uitour.enabled", false);
user_pref("browser.discovery.enabled", false);
user_pref("browser.ping-centre.telemetry", false);
user_pref("browser.tabs.warnOnClose", false);
user_pref("browser.warnOnQuit", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.usage.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "");
user_pref("toolkit.telemetry.shutdownPingSender.enabled", false);
user_pref("toolkit.telemetry.firstShutdownPing.enabled", false);
user_pref("toolkit.telemetry.newProfilePing.enabled", false);
user_pref("toolkit.telemetry.updatePing.enabled", false);
user_pref("toolkit.telemetry.bhrPing.enabled", false);
user_pref("toolkit.coverage.endpoint.base", "");
user_pref("app.update.auto", false);
user_pref("app.update.enabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("app.update.checkInstallTime", false);
user_pref("app.normandy.enabled", false);
user_pref("app.normandy.api_url", "");
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.blocklist.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("extensions.systemAddon.update.url", "");
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("identity.fxaccounts.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.trr.mode", 5);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.share_proxy_settings", true);
user_pref("network.proxy.no_proxies_on", "");
user_pref("network.proxy.allow_hijacking_localhost", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.google4.gethashURL", "");
user_pref("browser.safebrowsing.provider.google.updateURL", "");
user_pref("browser.safebrowsing.provider.google.gethashURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.gethashURL", "");
user_pref("browser.search.update", false);
user_pref("browser.region.update.enabled", false);
user_pref("browser.region.network.url", "");
user_pref("geo.provider.network.url", "");
user_pref("media.gmp-manager.url", "");
user_pref("media.gmp-gmpopenh264.enabled", false);
user_pref("dom.push.connection.enabled", false);
user_pref("security.OCSP.enabled", 0);
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("dom.timeout.enable_budget_timer_throttling", false);
user_pref("dom.min_background_timeout_value", 4);
user_pref("browser.cache.disk.enable", false);
user_pref("devtools.console.stdout.content", true);
`
