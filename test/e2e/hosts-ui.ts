import type { Locator, Page } from 'playwright-core';

/** What the "Add host" form asks for, as a user types it. */
export interface HostFormEntry {
  readonly name: string;
  readonly user: string;
  readonly hostname: string;
  readonly port: string;
  readonly identityFile: string;
  /** Whether the new host connects once added (the form's default); false unless given. */
  readonly connect?: boolean;
}

/** A field of the open add/edit host form, found by its visible label. */
export function hostFormField(page: Page, label: string): Locator {
  return page.getByTestId('host-form').getByLabel(label, { exact: true });
}

/**
 * Opens "Add host", fills every field and submits, as a user would. "Connect after adding" is
 * unticked unless `entry.connect`, so the test clicks Connect itself. Returns without waiting:
 * the caller checks what the page shows next (the new card, or the errors in the form).
 */
export async function submitHostForm(page: Page, entry: HostFormEntry): Promise<void> {
  await page.getByRole('button', { name: 'Add host', exact: true }).click();
  await hostFormField(page, 'Name').fill(entry.name);
  await hostFormField(page, 'User').fill(entry.user);
  await hostFormField(page, 'Hostname').fill(entry.hostname);
  await hostFormField(page, 'Port').fill(entry.port);
  await hostFormField(page, 'Identity file').fill(entry.identityFile);
  await page.getByTestId('host-form-connect').setChecked(entry.connect ?? false);
  await page.getByTestId('host-form-submit').click();
}

/** The card of the host named `name`: an article labelled by the host's name. */
export function hostCard(page: Page, name: string): Locator {
  return page.getByRole('article', { name, exact: true });
}

/** Resolves once the card's connection badge is in `phase`, or fails after `timeoutMs`. */
export async function waitForPhase(card: Locator, phase: string, timeoutMs: number): Promise<void> {
  await card
    .locator(`[data-testid="connection-state"][data-phase="${phase}"]`)
    .waitFor({ timeout: timeoutMs });
}

/**
 * A property of `document.activeElement` (e.g. `textContent`), read in the page. A string
 * expression, because the tests are compiled for Node, without the DOM's types.
 */
export function activeElement(page: Page, property: string): Promise<string | null> {
  return page.evaluate<string | null>(`document.activeElement?.${property} ?? null`);
}
