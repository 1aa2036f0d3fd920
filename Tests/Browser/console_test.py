#!/usr/bin/env python3
"""The web console in a real browser (headless Chromium through chromedriver).

Starts ConsoleBrowserHarness (a signed embedded engine, test functions, the
console), then, as a person would: signs in, sends an event through the form
(after a refused invalid JSON), watches the run appear and complete without a
reload, opens it and reads each step's output, cancels a sleeping run, re-runs
a failed one, checks an event carrying <script> is shown as text and never
runs, and watches the Services page show a service down and then recovered.
Screenshots of every page go to bench/out/console-*.png.

Usage: python3 Tests/Browser/console_test.py <path to ConsoleBrowserHarness>
Exit 0 when every check passed; the first failed check is printed.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "bench", "out")
XSS = "<script>window.__xss = 1</script><img src=x onerror=window.__xss=2>"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(arg)
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver")
    service = Service(executable_path=driver_path) if driver_path else Service()
    return webdriver.Chrome(service=service, options=options)


class Check:
    def __init__(self, driver, base):
        self.driver, self.base = driver, base

    def wait(self, what, condition, timeout=20):
        try:
            # Live updates replace rows under our feet: a stale element just means "look again".
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                                 ignored_exceptions=(StaleElementReferenceException, NoSuchElementException,
                                                     NoAlertPresentException)).until(lambda d: condition())
        except Exception:
            self.shot("failure")
            raise AssertionError("timed out waiting for: " + what)

    def shot(self, name):
        os.makedirs(OUT, exist_ok=True)
        self.driver.save_screenshot(os.path.join(OUT, "console-%s.png" % name))

    def text(self, css="body"):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def go(self, path):
        self.driver.get(self.base + path)

    def send_event(self, name, data):
        self.go("/functions")
        field = self.driver.find_element(By.ID, "event-name")
        field.clear()
        field.send_keys(name)
        area = self.driver.find_element(By.ID, "event-data")
        area.clear()
        area.send_keys(data)
        self.driver.find_element(By.ID, "send").click()

    def newest_run(self, function):
        """Waits for the newest run of `function` in the runs table; returns its row."""
        def find():
            for row in self.driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]"):
                if function in row.text:
                    return row
            return None
        return self.wait("a run of " + function, find)

    def run_text(self, function):
        """The newest `function` run's row text ("" while there is none)."""
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]"):
            if function in row.text:
                return row.text
        return ""

    def open_run(self, function):
        """Follows the link of the newest `function` run."""
        self.newest_run(function)
        link = self.wait("the run link", lambda: next(row for row in self.driver.find_elements(By.CSS_SELECTOR, "#runs tr[data-run]")
                                                      if function in row.text).find_element(By.TAG_NAME, "a").get_attribute("href"))
        self.driver.get(link)


def main():
    harness = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="console-browser-")
    service_port = free_port()
    proc = subprocess.Popen([harness, workdir, str(service_port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    driver = None
    listener = None
    try:
        line = proc.stdout.readline().split()
        assert line and line[0] == "READY", "harness did not start: %r" % line
        base, key = line[1], line[2]
        driver = chromium_driver()
        c = Check(driver, base)

        # Sign in (every page asks first).
        c.go("/runs")
        c.wait("the sign-in form", lambda: "/console/login" in driver.current_url)
        c.shot("login")
        driver.find_element(By.ID, "key").send_keys(key)
        driver.find_element(By.CSS_SELECTOR, "form button").click()
        c.wait("the runs page", lambda: driver.current_url.startswith(base + "/runs"))

        # Invalid JSON is refused in the page, before anything is sent.
        c.send_event("browser/greet", "{not json")
        c.wait("the JSON error", lambda: "Not sent" in c.text("#send-error"))
        assert driver.current_url.endswith("/functions"), driver.current_url
        c.shot("functions")

        # Send an event carrying HTML through the form; the run appears and completes without a reload.
        c.send_event("browser/greet", '{"who": "%s"}' % XSS)
        c.wait("the runs page after sending", lambda: "/runs" in driver.current_url)
        driver.execute_script("window.__noReload = 42")
        first = c.wait("the greeter run to appear", lambda: c.run_text("browser-greeter"))
        saw_running = "Running" in first
        c.wait("the greeter run to complete", lambda: "Completed" in c.run_text("browser-greeter"))
        assert saw_running, "the run was already complete when it first appeared"
        assert driver.execute_script("return window.__noReload") == 42, "the page reloaded"
        c.shot("runs")

        # Open it: each step with its output, the event shown as text, nothing executed.
        c.open_run("browser-greeter")
        c.wait("the run page", lambda: driver.find_elements(By.ID, "steps"))
        steps = c.text("#steps")
        for expected in ("read name", "short pause", "shout", "sleep"):
            assert expected in steps, "step %r missing in %r" % (expected, steps)
        assert XSS in steps, "the step output is not shown as text"
        assert XSS.upper() in c.text("#run-output")
        assert XSS in c.text("#run-event")
        assert driver.execute_script("return window.__xss") is None, "event data was executed"
        c.shot("run")

        # The event list shows the event as text too.
        c.go("/events")
        c.wait("the event row", lambda: "browser/greet" in c.text("#events"))
        assert driver.execute_script("return window.__xss") is None
        c.shot("events")

        # Cancel a sleeping run.
        c.send_event("browser/sleep", "{}")
        c.wait("the runs page", lambda: "/runs" in driver.current_url)
        c.open_run("browser-sleeper")
        c.wait("the sleep step", lambda: "Sleeping" in c.text("#steps"))
        c.shot("run-sleeping")
        driver.find_element(By.ID, "cancel").click()
        WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert).accept()
        c.wait("the run to be cancelled", lambda: c.text("#run-status") == "Cancelled")
        assert "Cancelled" in c.text("#steps")

        # Re-run a failed run: a new run starts (and this time completes).
        c.send_event("browser/flaky", "{}")
        c.wait("the runs page", lambda: "/runs" in driver.current_url)
        c.wait("the flaky run to fail", lambda: "Failed" in c.run_text("browser-flaky"))
        c.open_run("browser-flaky")
        c.wait("the failed run page", lambda: c.text("#run-status") == "Failed")
        failed_url = driver.current_url
        assert "the first run always fails" in c.text("#run-error")
        c.shot("run-failed")
        driver.find_element(By.ID, "rerun").click()
        c.wait("the re-run's page", lambda: driver.current_url != failed_url and "/runs/" in driver.current_url)
        c.wait("the re-run to complete", lambda: c.text("#run-status") == "Completed")

        # Filters: only failed runs.
        c.go("/runs?status=Failed&since=1h")
        c.wait("the failed filter", lambda: "browser-flaky" in c.text("#runs") and "browser-greeter" not in c.text("#runs"))

        # Services: the TCP service is down, then comes up and is shown as recovered.
        c.go("/services")
        c.wait("the service to be down", lambda: "down" in c.text("#services"))
        c.shot("services-down")
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", service_port))
        listener.listen(16)
        c.wait("the service to recover", lambda: "recovered" in c.text("#transitions"), timeout=30)
        c.shot("services-recovered")

        c.go("/loops")
        c.wait("the loops page", lambda: "Loops" in c.text("h1"))
        c.shot("loops")

        # Sign out: pages ask again.
        driver.find_element(By.CSS_SELECTOR, "header form button").click()
        c.wait("the sign-in form again", lambda: "/console/login" in driver.current_url)
        print("console browser test: all checks passed; screenshots in bench/out/console-*.png")
        return 0
    except Exception as failure:  # a failed check, or the browser losing the console
        print("console browser test FAILED: %s" % failure, file=sys.stderr)
        return 1
    finally:
        if driver:
            driver.quit()
        if listener:
            listener.close()
        try:
            proc.stdin.close()
            proc.wait(timeout=10)
        except Exception:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
