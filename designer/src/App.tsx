import { ErrorState, LoginPage, RequireAuth } from '@crm/ui';
import { Route, Routes } from 'react-router';
import { AdminOnly } from './AdminOnly.tsx';
import { DesignerFrame } from './DesignerFrame.tsx';
import { ModelerPage } from './bpmn/ModelerPage.tsx';
import { WorkflowList } from './bpmn/WorkflowList.tsx';
import { ModuleDesigner } from './modules/ModuleDesigner.tsx';
import { ModuleList } from './modules/ModuleList.tsx';
import { PackagesPage } from './packages/PackagesPage.tsx';
import { RolesPage } from './roles/RolesPage.tsx';

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
        <Route path="workflows/new" element={<ModelerPage />} />
        <Route path="workflows/:processId" element={<ModelerPage />} />
        <Route path="roles" element={<RolesPage />} />
        <Route path="packages" element={<PackagesPage />} />
        <Route path="*" element={<ErrorState status={404} />} />
      </Route>
    </Routes>
  );
}
