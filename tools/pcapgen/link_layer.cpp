// Owns: the byte layout of each link header and of the EtherType/VLAN tag chain.
// Does not own: IP or transport headers.
#include "link_layer.hpp"

#include <cstring>

#include "byte_order.hpp"

namespace pcapgen {
namespace {

constexpr std::size_t ether_header_bytes = 14;
constexpr std::size_t sll_header_bytes = 16;
constexpr std::size_t sll2_header_bytes = 20;
constexpr std::size_t bsd_header_bytes = 4;
constexpr std::size_t tag_bytes = 4;

constexpr std::uint16_t arphrd_ether = 1;
constexpr std::uint8_t sll_to_us = 0;
constexpr std::uint8_t sll_outgoing = 4;
constexpr std::uint32_t sll2_interface_index = 2;  // "eth0" on a typical host

/// [tpid0][tci0][tpid1][tci1]...[ethertype]: exactly what follows the MACs in Ethernet II.
std::size_t write_type_chain(std::uint8_t* out, const link_header_spec& spec) noexcept {
    std::size_t offset = 0;
    for (const vlan_tag& tag : spec.tags) {
        store_be16(out + offset, tag.tpid);
        store_be16(out + offset + 2, static_cast<std::uint16_t>((tag.pcp << 13) | (tag.vid & 0x0FFF)));
        offset += tag_bytes;
    }
    store_be16(out + offset, spec.ethertype);
    return offset + 2;
}

std::uint32_t bsd_family(link_type type, std::uint16_t ethertype) noexcept {
    if (ethertype == ethertype_ipv4) {
        return bsd_af_inet;
    }
    if (ethertype == ethertype_ipv6) {
        return type == link_type::null ? null_af_inet6 : loop_af_inet6;
    }
    return 0;
}

}  // namespace

std::uint32_t linktype_number(link_type type) noexcept {
    switch (type) {
    case link_type::ether:
        return 1;
    case link_type::sll:
        return 113;
    case link_type::sll2:
        return 276;
    case link_type::raw:
        return 101;
    case link_type::null:
        return 0;
    case link_type::loop:
        return 108;
    }
    return 1;
}

std::string_view link_type_name(link_type type) noexcept {
    switch (type) {
    case link_type::ether:
        return "ether";
    case link_type::sll:
        return "sll";
    case link_type::sll2:
        return "sll2";
    case link_type::raw:
        return "raw";
    case link_type::null:
        return "null";
    case link_type::loop:
        return "loop";
    }
    return "ether";
}

std::optional<link_type> parse_link_type(std::string_view name) noexcept {
    for (link_type type : {link_type::ether, link_type::sll, link_type::sll2, link_type::raw, link_type::null,
                           link_type::loop}) {
        if (link_type_name(type) == name) {
            return type;
        }
    }
    return std::nullopt;
}

bool link_carries_vlan_tags(link_type type) noexcept {
    return type == link_type::ether || type == link_type::sll || type == link_type::sll2;
}

mac_address mac_for(const ip_address& address, std::uint8_t role) noexcept {
    // FNV-1a over the address; 0x02 in the first octet = locally administered, unicast.
    std::uint32_t hash = 2166136261U;
    for (std::uint32_t index = 0; index < address.length_bytes(); ++index) {
        hash = (hash ^ address.bytes[index]) * 16777619U;
    }
    mac_address mac;
    mac.bytes = {0x02, role, static_cast<std::uint8_t>(hash >> 24), static_cast<std::uint8_t>(hash >> 16),
                 static_cast<std::uint8_t>(hash >> 8), static_cast<std::uint8_t>(hash)};
    return mac;
}

std::size_t link_writer::header_bytes(std::size_t tag_count) const noexcept {
    switch (_type) {
    case link_type::ether:
        return ether_header_bytes + tag_count * tag_bytes;
    case link_type::sll:
        return sll_header_bytes + tag_count * tag_bytes;
    case link_type::sll2:
        return sll2_header_bytes + tag_count * tag_bytes;
    case link_type::raw:
        return 0;
    case link_type::null:
    case link_type::loop:
        return bsd_header_bytes;
    }
    return 0;
}

std::size_t link_writer::write(std::uint8_t* out, const link_header_spec& spec) const noexcept {
    switch (_type) {
    case link_type::ether:
        std::memcpy(out, spec.dst_mac.bytes.data(), 6);
        std::memcpy(out + 6, spec.src_mac.bytes.data(), 6);
        return 12 + write_type_chain(out + 12, spec);
    case link_type::sll: {
        // The SLL protocol field is the last header field, so the tag chain continues right
        // after it, as libpcap writes re-inserted VLAN tags for cooked captures.
        store_be16(out, spec.outbound ? sll_outgoing : sll_to_us);
        store_be16(out + 2, arphrd_ether);
        store_be16(out + 4, 6);
        std::memcpy(out + 6, spec.src_mac.bytes.data(), 6);
        out[12] = 0;
        out[13] = 0;
        return 14 + write_type_chain(out + 14, spec);
    }
    case link_type::sll2: {
        // SLL2 has the protocol first: the chain's first EtherType goes there, the rest of the
        // chain (tags and inner EtherTypes) follows the 20-byte header.
        std::uint8_t chain[2 + max_link_tags * tag_bytes];
        const std::size_t chain_bytes = write_type_chain(chain, spec);
        std::memcpy(out, chain, 2);
        store_be16(out + 2, 0);
        store_be32(out + 4, sll2_interface_index);
        store_be16(out + 8, arphrd_ether);
        out[10] = spec.outbound ? sll_outgoing : sll_to_us;
        out[11] = 6;
        std::memcpy(out + 12, spec.src_mac.bytes.data(), 6);
        out[18] = 0;
        out[19] = 0;
        std::memcpy(out + sll2_header_bytes, chain + 2, chain_bytes - 2);
        return sll2_header_bytes + chain_bytes - 2;
    }
    case link_type::raw:
        return 0;
    case link_type::null:
        store_ordered32(out, bsd_family(_type, spec.ethertype), _file_big_endian);
        return bsd_header_bytes;
    case link_type::loop:
        store_be32(out, bsd_family(_type, spec.ethertype));
        return bsd_header_bytes;
    }
    return 0;
}

}  // namespace pcapgen
