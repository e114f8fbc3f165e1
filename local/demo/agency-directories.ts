import type { AgencyDirectory } from "../../shared/app/directory.ts";
import type { DemoStaff } from "./directory.ts";
import { DEMO_AGENCIES, DEMO_PROVINCE } from "./province.ts";

/** The demo province as the directories the functions store (units, leaders, fake contacts). */
export function demoAgencyDirectories(staff: readonly DemoStaff[]): AgencyDirectory[] {
  return DEMO_AGENCIES.map((agency) => {
    const people: AgencyDirectory["people"] = {};
    for (const person of staff.filter((member) => member.agencyId === agency.id)) {
      people[person.id] = {
        name: person.name,
        title: person.title,
        phone: person.phone,
        email: person.email,
      };
    }
    const head = agency.leaders[0];
    return {
      agencyId: agency.id,
      name: agency.name,
      parentName: DEMO_PROVINCE.parentName,
      placeName: DEMO_PROVINCE.placeName,
      leaderIds: agency.leaders.map((leader) => leader.id),
      units: Object.fromEntries(
        agency.units.map((unit) => [
          unit.id,
          { name: unit.name, leaderIds: unit.leaders.map((leader) => leader.id) },
        ]),
      ),
      people,
      ...(head ? { signer: { title: head.title.toUpperCase(), name: head.name } } : {}),
    };
  });
}
