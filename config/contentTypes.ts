/** Content types of canonical files, by extension; text types say UTF-8 so readers decode them right. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
    yaml: "application/yaml",
    yml: "application/yaml",
    json: "application/json",
    md: "text/markdown; charset=utf-8",
    txt: "text/plain; charset=utf-8",
    csv: "text/csv; charset=utf-8",
    html: "text/html; charset=utf-8",
    xml: "application/xml",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    svg: "image/svg+xml",
    pdf: "application/pdf",
    zip: "application/zip",
    gz: "application/gzip",
};

/** True when the bytes are UTF-8 text without NUL characters. */
export function looksLikeText(data: Buffer): boolean {
    if (data.includes(0)) {
        return false;
    }
    try {
        new TextDecoder("utf-8", { fatal: true }).decode(data);
        return true;
    } catch {
        return false;
    }
}

/** The content type of a file: by extension, else plain text or octet-stream by looking at the bytes. */
export function contentTypeOf(file: string, data: Buffer): string {
    const dot = file.lastIndexOf(".");
    const slash = file.lastIndexOf("/");
    const ext = dot > slash + 1 ? file.slice(dot + 1).toLowerCase() : "";
    return BY_EXTENSION[ext] ?? (looksLikeText(data) ? "text/plain; charset=utf-8" : "application/octet-stream");
}
