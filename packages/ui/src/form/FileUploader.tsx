import type { FileReference } from '@crm/engine/browser';
import { Button, Upload } from 'antd';
import { useRef, useState } from 'react';

export interface FileUploaderProps {
  value: FileReference[];
  onChange(files: FileReference[]): void;
  /** Stores one file at once (a field's upload, an approval attachment); resolves to its reference. */
  upload(file: File): Promise<FileReference>;
  fileUrl(id: string): string;
  text: { upload: string; uploading: string; uploadFailed: string };
  multiple?: boolean;
  disabled?: boolean;
}

/** Files uploaded as soon as they are picked, listed with download links; what holds them saves their ids. */
export function FileUploader({
  value,
  onChange,
  upload,
  fileUrl,
  text,
  multiple,
  disabled,
}: FileUploaderProps) {
  // uploads finish later: each adds to the files as they are then, not as they were when it began
  const latest = useRef(value);
  latest.current = value;
  const [busy, setBusy] = useState(0);
  const [failed, setFailed] = useState<string | undefined>();
  return (
    <>
      <Upload
        multiple={multiple}
        disabled={disabled}
        fileList={value.map((file) => ({
          uid: file.id,
          name: file.name,
          status: 'done' as const,
          url: fileUrl(file.id),
        }))}
        customRequest={({ file }) => {
          setBusy((n) => n + 1);
          setFailed(undefined);
          upload(file as File)
            .then((uploaded) => {
              const next = multiple ? [...latest.current, uploaded] : [uploaded];
              latest.current = next;
              onChange(next);
            })
            .catch((error: unknown) => setFailed(error instanceof Error ? error.message : text.uploadFailed))
            .finally(() => setBusy((n) => n - 1));
        }}
        onRemove={(removed) => {
          onChange(value.filter((file) => file.id !== removed.uid));
          return true;
        }}
      >
        {disabled ? null : <Button loading={busy > 0}>{busy > 0 ? text.uploading : text.upload}</Button>}
      </Upload>
      {failed ? <div className="ant-form-item-explain-error">{`${text.uploadFailed}: ${failed}`}</div> : null}
    </>
  );
}
