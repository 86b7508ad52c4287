import { ErrorState, LoadingState, LoginPage, RequireAuth } from '@crm/ui';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { AdminOnly } from './AdminOnly.tsx';
import { WorkflowList } from './bpmn/WorkflowList.tsx';
import { DesignerFrame } from './DesignerFrame.tsx';
import { ModuleDesigner } from './modules/ModuleDesigner.tsx';
import { ModuleList } from './modules/ModuleList.tsx';
import { InstancePage } from './monitor/InstancePage.tsx';
import { MonitorPage } from './monitor/MonitorPage.tsx';
import { PackagesPage } from './packages/PackagesPage.tsx';
import { RolesPage } from './roles/RolesPage.tsx';
import { WebhooksPage } from './webhooks/WebhooksPage.tsx';

// bpmn-js is large: the modeler loads when first opened
const ModelerPage = lazy(() => import('./bpmn/ModelerPage.tsx').then((m) => ({ default: m.ModelerPage })));

function Modeler() {
  return (
    <Suspense fallback={<LoadingState />}>
      <ModelerPage />
    </Suspense>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AdminOnly>
              <DesignerFrame />
            </AdminOnly>
          </RequireAuth>
        }
      >
        <Route index element={<ModuleList />} />
        <Route path="modules/:module" element={<ModuleDesigner />} />
        <Route path="workflows" element={<WorkflowList />} />
        <Route path="workflows/new" element={<Modeler />} />
        <Route path="workflows/:processId" element={<Modeler />} />
        <Route path="monitor" element={<MonitorPage />} />
        <Route path="monitor/instances/:id" element={<InstancePage />} />
        <Route path="monitor/:tab" element={<MonitorPage />} />
        <Route path="roles" element={<RolesPage />} />
        <Route path="packages" element={<PackagesPage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="*" element={<ErrorState status={404} />} />
      </Route>
    </Routes>
  );
}
