// Network helpers: every call awaits the network, so the task spends its time waiting, not computing.

/** GETs a URL and returns its status and body, aborting with the task's signal. */
export async function getText(url: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal });
  return { status: response.status, body: await response.text() };
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const { status, body } = await getText(url, signal);
  if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
  return JSON.parse(body) as T;
}
