import type { JsonSchema } from '@crm/engine';
import { FILE_NAME_HEADER } from '../files.ts';
import { PROBLEM_CONTENT_TYPE } from '../problem.ts';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Attachment uploads and downloads in the OpenAPI document.

const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef(crmSchema('Problem')) } },
});
const binary = { schema: { type: 'string', format: 'binary' } };

export const filesTag = {
  name: 'files',
  description:
    'Attachments: upload a file to a file field, then reference it by id in a record of that module',
};

export const fileSchemas: Record<string, JsonSchema> = {
  [crmSchema('FileReference')]: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      size: { type: 'integer', minimum: 0 },
      type: { type: 'string', description: 'The media type judged from the content' },
    },
    required: ['id', 'name', 'size', 'type'],
  },
};

const fileNameHeader = {
  name: FILE_NAME_HEADER,
  in: 'header',
  required: true,
  description: "The file's name, percent-encoded UTF-8 (encodeURIComponent)",
  schema: { type: 'string', example: '%E5%90%88%E5%90%8C.pdf' },
};
const stored = (description: string) => ({
  description,
  content: { 'application/json': { schema: schemaRef(crmSchema('FileReference')) } },
});

const path = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

export const filePaths: Record<string, JsonSchema> = {
  '/api/modules/{module}/fields/{field}/files': {
    post: {
      tags: ['files'],
      operationId: 'uploadFile',
      summary: 'Upload a file to a file field (the body is the file)',
      description:
        'The body is the raw file (any content type; the type is judged from the content). The field ' +
        'sets the largest size and the accepted types; a file whose content is not what its name ' +
        'says is refused. The file stays unattached (visible to its uploader only) until a record ' +
        'of the module references it, and is deleted if none does within a day.',
      parameters: [
        path('module', 'The module name'),
        path('field', 'The name of a file field of the module'),
        fileNameHeader,
      ],
      requestBody: { required: true, content: { 'application/octet-stream': binary } },
      responses: {
        201: stored('Stored; reference it as `{ "id": … }` in the field'),
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        413: problem('Larger than the field (or the server) allows; nothing was kept'),
        415: problem('The content is not a type the field accepts, or not what the name says'),
        ...guarded,
      },
    },
  },
  '/api/approvals/files': {
    post: {
      tags: ['files', 'approvals'],
      operationId: 'uploadApprovalAttachment',
      summary: 'Upload an attachment for an approval action (the body is the file)',
      description:
        'The body is the raw file, at most 20 MiB, of a type its content shows and its name agrees with. ' +
        "Name its id in an action's `attachments`; it stays visible to its uploader only until then, " +
        'afterwards to those taking part in the approval, and is deleted if no action names it within a day.',
      parameters: [fileNameHeader],
      requestBody: { required: true, content: { 'application/octet-stream': binary } },
      responses: {
        201: stored('Stored; name its id in the action'),
        400: responseRef('BadRequest'),
        413: problem('Larger than approval attachments may be; nothing was kept'),
        415: problem('The content is not what the name says'),
        ...guarded,
      },
    },
  },
  '/api/files/{id}': {
    get: {
      tags: ['files'],
      operationId: 'downloadFile',
      summary: 'Download a file (as an attachment; single byte ranges supported)',
      description:
        'For whoever may read a record (and field) referencing the file, or its uploader while it ' +
        'is unattached. Served with Content-Disposition: attachment, nosniff and a sandboxing CSP; ' +
        'types outside a safe list (images, PDF, office, plain text …) as application/octet-stream.',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        { name: 'Range', in: 'header', schema: { type: 'string', example: 'bytes=0-1023' } },
      ],
      responses: {
        200: { description: 'The file', content: { 'application/octet-stream': binary } },
        206: { description: 'The range asked for', content: { 'application/octet-stream': binary } },
        304: { description: 'Not modified (If-None-Match matched the ETag, the sha256)' },
        404: responseRef('NotFound'),
        416: { description: 'The range lies outside the file' },
        ...guarded,
      },
    },
  },
};
