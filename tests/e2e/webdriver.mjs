// A small W3C WebDriver client for the end-to-end suite: just the calls it uses, over
// Node's fetch, against tauri-driver (which runs WebKitWebDriver and the app).

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

const trace = process.env.LATCHKEY_E2E_TRACE === "1";

async function request(base, method, path, body) {
  if (trace) console.error(`webdriver: ${method} ${path} ${body === undefined ? "" : JSON.stringify(body).slice(0, 120)}`);
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = payload?.value?.message ?? JSON.stringify(payload);
    throw new WebDriverError(`${method} ${path}: ${response.status} ${detail}`);
  }
  return payload.value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One app session: a launch of the app, driven through its webview. */
export class Session {
  static async start(base, application, env = {}) {
    // No browserName: tauri-driver picks the native driver from tauri:options.
    const value = await request(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: { "tauri:options": { application, env } },
      },
    });
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  call(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit() {
    await request(this.base, "DELETE", `/session/${this.id}`);
  }

  /** The first element matching the XPath, waiting up to `timeout` ms for it. */
  async find(xpath, timeout = 15000) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
      try {
        const value = await this.call("POST", "/element", { using: "xpath", value: xpath });
        const id = value[ELEMENT_KEY] ?? value.ELEMENT;
        if (id) return new Element(this, id);
      } catch (error) {
        last = error;
      }
      await sleep(150);
    }
    throw new WebDriverError(`no element for ${xpath} after ${timeout} ms: ${last?.message ?? ""}`);
  }

  /** Whether an element matching the XPath exists right now. */
  async exists(xpath) {
    const values = await this.call("POST", "/elements", { using: "xpath", value: xpath });
    return values.length > 0;
  }

  /** Waits until `predicate()` is true. */
  async until(what, predicate, timeout = 15000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (await predicate()) return;
      await sleep(150);
    }
    throw new WebDriverError(`timed out waiting for ${what}`);
  }

  execute(script, args = []) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  /** Runs an async script; it reports by calling its last argument. */
  async executeAsync(script, args = [], timeout = 120000) {
    await this.call("POST", "/timeouts", { script: timeout });
    return this.call("POST", "/execute/async", { script, args });
  }

  /** The window's place and outer size, in CSS pixels: `{ x, y, width, height }`. */
  windowRect() {
    return this.call("GET", "/window/rect");
  }

  /** Resizes the window (outer size, in CSS pixels). */
  setWindowSize(width, height) {
    return this.call("POST", "/window/rect", { width, height });
  }

  async screenshot() {
    return Buffer.from(await this.call("GET", "/screenshot"), "base64");
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  click() {
    return this.session.call("POST", `/element/${this.id}/click`, {});
  }

  type(text) {
    return this.session.call("POST", `/element/${this.id}/value`, { text });
  }

  clear() {
    return this.session.call("POST", `/element/${this.id}/clear`, {});
  }

  text() {
    return this.session.call("GET", `/element/${this.id}/text`);
  }
}

/** Waits until something answers HTTP at `base`. */
export async function waitForDriver(base, timeout = 20000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      await fetch(`${base}/status`);
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new WebDriverError(`no WebDriver at ${base} after ${timeout} ms`);
}

