// The member view the local API serves: SWIM members and events merged with the org document's member records.
import type { OrgDocument } from '../org/org-doc.js';
import { ORG_MEMBERS_MAX } from '../constants.js';
import type { MemberChange, MemberSource } from '../api/sources.js';
import { mergeMember, mergeMembers, type MemberView } from './member-view.js';
import type { Membership } from './membership.js';

export class MemberDirectory implements MemberSource {
  constructor(
    private readonly membership: Membership,
    private readonly org: OrgDocument,
  ) {}

  listMembers(): MemberView[] {
    return mergeMembers(this.membership.members(), this.org.listMembers(), ORG_MEMBERS_MAX);
  }

  onMemberChange(listener: (change: MemberChange, member: MemberView) => void): () => void {
    const offSwim = this.membership.onMemberEvent((e) => {
      const view = mergeMember(e.member.id, e.member, this.org.getMember(e.member.id));
      if (view) listener(e.type.slice('member:'.length) as MemberChange, view);
    });
    const offOrg = this.org.on('member:changed', (e) => {
      const view = mergeMember(e.id, this.membership.member(e.id), e.member);
      if (view) listener('update', view);
    });
    return () => {
      offSwim();
      offOrg();
    };
  }
}
