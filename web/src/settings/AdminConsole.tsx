// The admin console's panels beyond people and invites: storage per person and chat,
// IP blocks, the audit log and health. Each panel loads when opened; the server checks
// the caller's role on every call (src/admin/), so these only show what it answers.
import { createResource, createSignal, For, Show } from "solid-js";
import type { AuditEntry, Health, IpBlockInfo } from "../../../src/protocol/methods/admin.ts";
import { locale, t } from "../i18n/index.ts";
import { fileSize } from "../media/logic.ts";
import { request, status } from "../net/connection.ts";
import { createGuard } from "../ui/guard.ts";
import { blockExpiryChoices, type BlockExpiryKey, blockExpiryMs } from "./admin-console.ts";

const when = (ms: number) => new Date(ms).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
const online = () => status() === "online" || null;

export function StoragePanel() {
  const [usage] = createResource(online, () => request("admin.storage", {}));
  return (
    <div class="admin-panel">
      <Show when={usage()} fallback={<p class="hint">{t("loading")}</p>}>
        {(u) => (
          <>
            <p class="hint">{t("storageTotal", { size: fileSize(u().totalBytes, locale()) })}</p>
            <h4>{t("storageByPerson")}</h4>
            <ul class="usage-list">
              <For each={u().users} fallback={<li class="hint">{t("storageNone")}</li>}>
                {(x) => <UsageRow name={x.displayName} sub={`@${x.username}`} bytes={x.usedBytes} files={x.files} max={u().users[0]!.usedBytes} />}
              </For>
            </ul>
            <h4>{t("storageByChat")}</h4>
            <ul class="usage-list">
              <For each={u().chats} fallback={<li class="hint">{t("storageNone")}</li>}>
                {(x) => <UsageRow name={x.title || t("untitledChat")} sub={x.kind} bytes={x.usedBytes} files={x.files} max={u().chats[0]!.usedBytes} />}
              </For>
            </ul>
          </>
        )}
      </Show>
    </div>
  );
}

function UsageRow(props: { name: string; sub: string; bytes: number; files: number; max: number }) {
  return (
    <li>
      <div class="usage-line">
        <span class="row-title">{props.name}</span>
        <span class="usage-size">{fileSize(props.bytes, locale())}</span>
      </div>
      <div class="usage-bar" aria-hidden="true"><span style={{ width: `${Math.max(2, (100 * props.bytes) / Math.max(1, props.max))}%` }} /></div>
      <span class="hint">{props.sub} · {t("filesCount", { n: props.files })}</span>
    </li>
  );
}

export function IpBlocksPanel() {
  const [blocks, { refetch }] = createResource(online, () => request("admin.ip_blocks", {}));
  const [cidr, setCidr] = createSignal("");
  const [note, setNote] = createSignal("");
  const [expiry, setExpiry] = createSignal<BlockExpiryKey>("1d");
  const { error, guard } = createGuard();
  const add = (e: Event) => {
    e.preventDefault();
    void guard(
      request("admin.ip_block", { cidr: cidr().trim(), note: note().trim() || undefined, expiresInMs: blockExpiryMs(expiry()) }).then(() => {
        setCidr("");
        setNote("");
        void refetch();
      }),
    );
  };
  const expiryLabel = (k: BlockExpiryKey) => ({ "1h": t("expires1h"), "1d": t("expires1d"), "7d": t("expires7d"), never: t("expiresNever") })[k];
  const describe = (b: IpBlockInfo) => [b.expiresAt === null ? t("expiresNever") : t("blockUntil", { at: when(b.expiresAt) }), b.note].filter(Boolean).join(" · ");
  return (
    <div class="admin-panel">
      <p class="hint">{t("ipBlocksHint")}</p>
      <form class="ipblock-form" onSubmit={add}>
        <input name="ipblock-cidr" placeholder={t("ipBlockExample")} aria-label={t("ipBlockAddress")} value={cidr()} onInput={(e) => setCidr(e.currentTarget.value)} required />
        <input name="ipblock-note" placeholder={t("ipBlockNote")} aria-label={t("ipBlockNote")} value={note()} onInput={(e) => setNote(e.currentTarget.value)} maxLength={200} />
        <select name="ipblock-expiry" aria-label={t("inviteExpiry")} value={expiry()} onChange={(e) => setExpiry(e.currentTarget.value as BlockExpiryKey)}>
          <For each={blockExpiryChoices}>{(k) => <option value={k}>{expiryLabel(k)}</option>}</For>
        </select>
        <button type="submit">{t("ipBlockAdd")}</button>
      </form>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <ul class="user-list ipblock-list">
        <For each={blocks()?.blocks ?? []} fallback={<li class="hint">{t("ipBlocksNone")}</li>}>
          {(b) => (
            <li>
              <div class="usage-line">
                <code class="row-title">{b.cidr}</code>
                <button type="button" class="chip" onClick={() => void guard(request("admin.ip_unblock", { id: b.id }).then(() => refetch()))}>{t("ipUnblock")}</button>
              </div>
              <span class="hint">{describe(b)}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={blocks()}>{(b) => <p class="hint">{t("ipBlocksCount", { n: b().blocks.length, max: b().max })}</p>}</Show>
    </div>
  );
}

export function AuditPanel() {
  const [entries, setEntries] = createSignal<AuditEntry[]>([]);
  const [hasMore, setHasMore] = createSignal(false);
  const { error, guard } = createGuard();
  const load = (more: boolean) =>
    guard(
      request("admin.audit", { beforeId: more ? entries().at(-1)?.id : undefined, limit: 50 }).then((r) => {
        setEntries(more ? [...entries(), ...r.entries] : r.entries);
        setHasMore(r.hasMore);
      }),
    );
  void load(false);
  return (
    <div class="admin-panel">
      <ul class="user-list audit-list">
        <For each={entries()} fallback={<li class="hint">{t("auditNone")}</li>}>
          {(e) => (
            <li>
              <span class="row-title">
                <code>{e.action}</code> {e.target}
              </span>
              <span class="hint">{[e.actorName === "cli" ? t("auditByCli") : `@${e.actorName}`, when(e.at), e.detail].filter(Boolean).join(" · ")}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={hasMore()}><button type="button" class="secondary" onClick={() => void load(true)}>{t("loadMore")}</button></Show>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </div>
  );
}

export function HealthPanel() {
  const [health, { refetch }] = createResource(online, () => request("admin.health", {}));
  const callsText = (c: Health["calls"]) =>
    ({
      running: t("healthCallsRunning", { alive: c.workersAlive, workers: c.workers, calls: c.activeCalls }),
      not_started: t("healthCallsIdle"),
      unavailable: t("healthCallsUnavailable", { detail: c.detail }),
    })[c.state];
  const tlsText = (x: Health["tls"]) => (x.mode === "off" ? t("healthTlsOff") : x.expiresAt === null ? t("healthTlsNone") : t("healthTlsExpires", { at: when(x.expiresAt) }));
  const backupText = (b: Health["backup"]) => (b === null ? t("healthNoBackup") : `${when(b.at)} · ${fileSize(b.bytes, locale())} · ${b.ok ? "ok" : b.detail}`);
  return (
    <div class="admin-panel">
      <Show when={health()} fallback={<p class="hint">{t("loading")}</p>}>
        {(h) => (
          <dl class="health">
            <dt>{t("healthCalls")}</dt>
            <dd classList={{ warn: h().calls.state === "unavailable" }}>{callsText(h().calls)}</dd>
            <dt>{t("healthDisk")}</dt>
            <dd classList={{ warn: h().disk.freeBytes < h().disk.totalBytes / 20 }}>
              {t("healthDiskFree", { free: fileSize(h().disk.freeBytes, locale()), total: fileSize(h().disk.totalBytes, locale()) })}
            </dd>
            <dt>{t("healthTls")}</dt>
            <dd classList={{ warn: h().tls.expiresAt !== null && h().tls.expiresAt! - Date.now() < 14 * 86_400_000 }}>{tlsText(h().tls)}</dd>
            <dt>{t("healthBackup")}</dt>
            <dd classList={{ warn: h().backup === null || !h().backup!.ok }}>{backupText(h().backup)}</dd>
            <dt>{t("healthVersion")}</dt>
            <dd>{t("healthVersionLine", { version: h().version, since: when(h().startedAt) })}</dd>
          </dl>
        )}
      </Show>
      <button type="button" class="secondary" onClick={() => void refetch()}>{t("refresh")}</button>
    </div>
  );
}
