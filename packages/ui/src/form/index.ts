/** The record form and its pieces, shared by the runtime app and the designer's live preview. */
export { FieldValue, type FieldValueProps } from './FieldValue.tsx';
export { FileUploader, type FileUploaderProps } from './FileUploader.tsx';
export { formatPlain } from './format.ts';
export { mergeValues, sameValue, serverChanges } from './merge.ts';
export { type FormText, formText } from './messages.ts';
export { errorTreeOf, type FieldProblem, problemText } from './problems.ts';
export { RecordForm, type RecordFormProps, type SaveOutcome, type Values } from './RecordForm.tsx';
export { rjsfSchemas } from './schemas.ts';
export { type Choice, type FormServices, httpFormServices, type JsonClient } from './services.ts';
export { useUnsavedChangesWarning } from './unsaved.ts';
