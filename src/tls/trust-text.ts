// The trust page's words, per language. Every language has every key (the type says so);
// `{fp}` etc. are filled in by trust-page.ts after HTML-escaping the values.
export type Lang = "en" | "de";

export interface TrustText {
  title: string;
  intro: string;
  secureAddress: string;
  checking: string;
  trusted: string;
  notTrusted: string;
  download: string;
  downloadDer: string;
  downloadPem: string;
  fingerprint: string;
  compare: string;
  /** {date}: when this CA was created. */
  issued: string;
  /** {date}: when it replaced the earlier CA; {fp}: the earlier CA's fingerprint. */
  replaced: string;
  windows: string[];
  macos: string[];
  linux: string[];
  android: string[];
  ios: string[];
  firefox: string;
  after: string;
  afterText: string;
}

const en: TrustText = {
  title: "Trust this Hearth server",
  intro:
    "This Hearth server encrypts its connections with its own small certificate authority (CA). Install that CA once on each device, then use the secure address. Calls, notifications and the installable app work only over the secure address.",
  secureAddress: "Secure address",
  checking: "Checking whether this device already trusts Hearth…",
  trusted: "This device trusts Hearth: taking you to the secure address.",
  notTrusted: "This device does not trust Hearth yet: install the certificate below, then reload this page.",
  download: "1. Download the certificate",
  downloadDer: "CA certificate (.crt, for Windows, macOS, Android, iOS)",
  downloadPem: "CA certificate (.pem, for Linux and Firefox)",
  fingerprint: "SHA-256 fingerprint",
  compare: "Before you trust it, compare this fingerprint with the one your administrator sees (hearth doctor).",
  issued: "This certificate authority was created on {date}.",
  replaced:
    "This server replaced its certificate authority on {date}. If this device trusted the earlier one (fingerprint {fp}), it no longer reaches the secure address: remove the old “Hearth local CA” and trust the new one below.",
  windows: [
    "Open the downloaded hearth-ca.crt and choose Install Certificate.",
    "Choose Current User, then “Place all certificates in the following store” → Trusted Root Certification Authorities.",
    "Finish, confirm the security warning, and restart the browser.",
  ],
  macos: [
    "Open the downloaded hearth-ca.crt: Keychain Access adds it to the login keychain.",
    "Double-click “Hearth local CA”, open Trust, and set “When using this certificate” to Always Trust.",
    "Close the window (enter your password) and restart the browser.",
  ],
  linux: [
    "System-wide (Debian, Ubuntu): sudo cp hearth-ca.pem /usr/local/share/ca-certificates/hearth-ca.crt && sudo update-ca-certificates",
    "Chrome and Chromium: certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n \"Hearth local CA\" -i hearth-ca.pem (package libnss3-tools), then restart the browser.",
  ],
  android: [
    "Download hearth-ca.crt.",
    "Settings → Security & privacy → More security settings → Encryption & credentials → Install a certificate → CA certificate.",
    "Choose the downloaded file and confirm.",
  ],
  ios: [
    "Open this page in Safari and download hearth-ca.crt; allow the configuration profile.",
    "Settings → Profile Downloaded → Install.",
    "Settings → General → About → Certificate Trust Settings: turn on full trust for “Hearth local CA”.",
  ],
  firefox: "Firefox keeps its own list: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import, and tick “Trust this CA to identify websites”.",
  after: "2. Open the secure address",
  afterText: "Once the certificate is trusted, reload this page: it takes you to the secure address by itself.",
};

const de: TrustText = {
  title: "Diesem Hearth-Server vertrauen",
  intro:
    "Dieser Hearth-Server verschlüsselt seine Verbindungen mit einer eigenen kleinen Zertifizierungsstelle (CA). Installiere diese CA einmal auf jedem Gerät und nutze dann die sichere Adresse. Anrufe, Benachrichtigungen und die installierbare App funktionieren nur über die sichere Adresse.",
  secureAddress: "Sichere Adresse",
  checking: "Prüfe, ob dieses Gerät Hearth schon vertraut …",
  trusted: "Dieses Gerät vertraut Hearth: Weiter zur sicheren Adresse.",
  notTrusted: "Dieses Gerät vertraut Hearth noch nicht: Installiere das Zertifikat unten und lade diese Seite neu.",
  download: "1. Zertifikat herunterladen",
  downloadDer: "CA-Zertifikat (.crt, für Windows, macOS, Android, iOS)",
  downloadPem: "CA-Zertifikat (.pem, für Linux und Firefox)",
  fingerprint: "SHA-256-Fingerabdruck",
  compare: "Vergleiche den Fingerabdruck vor dem Vertrauen mit dem, den deine Administration sieht (hearth doctor).",
  issued: "Diese Zertifizierungsstelle wurde am {date} erstellt.",
  replaced:
    "Dieser Server hat seine Zertifizierungsstelle am {date} ersetzt. Wenn dieses Gerät der früheren vertraut hat (Fingerabdruck {fp}), erreicht es die sichere Adresse nicht mehr: Entferne die alte „Hearth local CA“ und vertraue der neuen unten.",
  windows: [
    "Öffne die heruntergeladene hearth-ca.crt und wähle „Zertifikat installieren“.",
    "Wähle „Aktueller Benutzer“, dann „Alle Zertifikate in folgendem Speicher speichern“ → Vertrauenswürdige Stammzertifizierungsstellen.",
    "Fertig stellen, die Sicherheitswarnung bestätigen und den Browser neu starten.",
  ],
  macos: [
    "Öffne die heruntergeladene hearth-ca.crt: Die Schlüsselbundverwaltung legt sie im Schlüsselbund „Anmeldung“ ab.",
    "Doppelklicke „Hearth local CA“, öffne „Vertrauen“ und setze „Bei Verwendung dieses Zertifikats“ auf „Immer vertrauen“.",
    "Fenster schließen (Passwort eingeben) und den Browser neu starten.",
  ],
  linux: [
    "Systemweit (Debian, Ubuntu): sudo cp hearth-ca.pem /usr/local/share/ca-certificates/hearth-ca.crt && sudo update-ca-certificates",
    "Chrome und Chromium: certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n \"Hearth local CA\" -i hearth-ca.pem (Paket libnss3-tools), dann den Browser neu starten.",
  ],
  android: [
    "Lade hearth-ca.crt herunter.",
    "Einstellungen → Sicherheit & Datenschutz → Weitere Sicherheitseinstellungen → Verschlüsselung & Anmeldedaten → Zertifikat installieren → CA-Zertifikat.",
    "Wähle die heruntergeladene Datei und bestätige.",
  ],
  ios: [
    "Öffne diese Seite in Safari und lade hearth-ca.crt; erlaube das Konfigurationsprofil.",
    "Einstellungen → Profil geladen → Installieren.",
    "Einstellungen → Allgemein → Info → Zertifikatsvertrauenseinstellungen: volles Vertrauen für „Hearth local CA“ einschalten.",
  ],
  firefox: "Firefox führt eine eigene Liste: Einstellungen → Datenschutz & Sicherheit → Zertifikate → Zertifikate anzeigen → Zertifizierungsstellen → Importieren, und „Dieser CA vertrauen, um Websites zu identifizieren“ ankreuzen.",
  after: "2. Sichere Adresse öffnen",
  afterText: "Sobald das Zertifikat vertraut wird, lade diese Seite neu: Sie leitet dich selbst zur sicheren Adresse weiter.",
};

export const texts: Record<Lang, TrustText> = { en, de };

/** The best supported language for an Accept-Language header (q-values respected); English otherwise. */
export function pickLang(acceptLanguage: string | null): Lang {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.toLowerCase().split("-")[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.base && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { base } of ranked) if (base in texts) return base as Lang;
  return "en";
}
