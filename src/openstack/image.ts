import type { Readable } from 'node:stream';
import { query, type ServiceCall } from './session.js';

// Glance v2: images and their data.

export interface Image {
  id: string;
  name: string;
  status: string;
  disk_format?: string;
  container_format?: string;
  size?: number | null;
  checksum?: string | null;
  os_hash_algo?: string | null;
  os_hash_value?: string | null;
  visibility?: string;
}

export type ImageApi = ReturnType<typeof imageApi>;

/** The image calls over `call`; uploads get `uploadTimeoutMs` instead of the per-call timeout. */
export function imageApi(call: ServiceCall, uploadTimeoutMs: number) {
  const at = (id: string) => `/v2/images/${encodeURIComponent(id)}`;
  return {
    async listImages(filter: { name?: string; status?: string } = {}): Promise<Image[]> {
      return (await call<{ images: Image[] }>('GET', `/v2/images${query({ ...filter, limit: 1000 })}`)).data
        .images;
    },

    async getImage(id: string): Promise<Image | undefined> {
      const result = await call<Image>('GET', at(id), { accept: [404] });
      return result.status === 404 ? undefined : result.data;
    },

    async createImage(input: {
      name: string;
      diskFormat: string;
      containerFormat: string;
      visibility?: string;
      properties?: Record<string, string>;
    }): Promise<Image> {
      const json = {
        name: input.name,
        disk_format: input.diskFormat,
        container_format: input.containerFormat,
        visibility: input.visibility ?? 'public',
        ...input.properties,
      };
      return (await call<Image>('POST', '/v2/images', { json })).data;
    },

    /** Uploads the image's data. `data` makes the body: it is called again if the upload must be re-sent
     * (a 401 after the token expired), since a stream cannot be read twice. */
    async uploadImageData(id: string, data: () => Uint8Array | Readable): Promise<void> {
      await call('PUT', `${at(id)}/file`, {
        upload: { contentType: 'application/octet-stream', body: data },
        timeoutMs: uploadTimeoutMs,
      });
    },

    async deleteImage(id: string): Promise<void> {
      await call('DELETE', at(id), { accept: [404] });
    },
  };
}
