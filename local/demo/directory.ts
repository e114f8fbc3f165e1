import type { Directory, StaffRole } from "../../shared/alerts/index.ts";
import type { Group } from "../../shared/app/actor.ts";
import { FAKE_EMAIL_DOMAIN, staffPhone } from "./people.ts";
import { DEMO_AGENCIES } from "./province.ts";

/** The demo province's people: the alert directory (ids), staff with fake contacts, and logins. */

export interface DemoStaff {
  id: string;
  name: string;
  title: string;
  role: StaffRole;
  agencyId: string;
  unitId?: string;
  /** Fake: +8490000xxxx. */
  phone: string;
  /** Fake: …@example.vn. */
  email: string;
}

/** A login for the local web page (no password: the local runtime is for one machine). */
export interface DemoAccount {
  id: string;
  name: string;
  role: Group;
  agencyId: string;
  unitId?: string;
  title: string;
}

export function demoDirectory(): Directory {
  const agencies: Record<string, Directory["agencies"][string]> = {};
  for (const agency of DEMO_AGENCIES) {
    const units: Record<string, { name: string; leaderIds: string[] }> = {};
    for (const unit of agency.units) {
      units[unit.id] = { name: unit.name, leaderIds: unit.leaders.map((leader) => leader.id) };
    }
    agencies[agency.id] = {
      name: agency.name,
      leaderIds: agency.leaders.map((leader) => leader.id),
      units,
    };
  }
  return { agencies };
}

export function demoStaff(): DemoStaff[] {
  const staff: DemoStaff[] = [];
  const add = (
    person: { id: string; name: string; title: string },
    role: StaffRole,
    agencyId: string,
    unitId?: string,
  ) => {
    staff.push({
      id: person.id,
      name: person.name,
      title: person.title,
      role,
      agencyId,
      ...(unitId === undefined ? {} : { unitId }),
      phone: staffPhone(staff.length),
      email: `${person.id}@${FAKE_EMAIL_DOMAIN}`,
    });
  };
  for (const agency of DEMO_AGENCIES) {
    for (const leader of agency.leaders) add(leader, "agency-leader", agency.id);
    for (const unit of agency.units) {
      for (const leader of unit.leaders) add(leader, "unit-leader", agency.id, unit.id);
      for (const handler of unit.handlers) add(handler, "handler", agency.id, unit.id);
    }
  }
  return staff;
}

export function demoAccounts(staff: readonly DemoStaff[]): DemoAccount[] {
  const accounts: DemoAccount[] = staff.map((person) => ({
    id: person.id,
    name: person.name,
    role: person.role === "handler" ? "handler" : "leader",
    agencyId: person.agencyId,
    ...(person.unitId === undefined ? {} : { unitId: person.unitId }),
    title: person.title,
  }));
  accounts.push({
    id: "admin",
    name: "Quản trị hệ thống (demo)",
    role: "admin",
    agencyId: "ttpvhcc-tinh",
    title: "Quản trị hệ thống",
  });
  return accounts;
}
