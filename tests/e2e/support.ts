// What the end-to-end specs share: collecting a page's console errors and uncaught exceptions.
import { Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions of a page (each spec asserts the list stays empty). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
